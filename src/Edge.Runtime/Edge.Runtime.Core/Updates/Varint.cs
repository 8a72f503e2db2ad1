namespace EdgeSkyrmion.Edge.Updates;

/// <summary>LEB128 unsigned varints (protobuf's encoding), for delta-coded synapse indices.</summary>
public static class Varint
{
    public static void Write(List<byte> output, uint value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Reads one varint at <paramref name="offset"/> and advances it; throws on truncation or overflow.</summary>
    public static uint Read(ReadOnlySpan<byte> input, ref int offset)
    {
        uint value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (offset >= input.Length) throw new InvalidDataException("truncated varint in delta indices.");
            byte b = input[offset++];
            if (shift == 28 && b > 0x0F) throw new InvalidDataException("varint in delta indices overflows 32 bits.");
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("varint in delta indices overflows 32 bits.");
    }
}
