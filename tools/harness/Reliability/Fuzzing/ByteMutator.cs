using System.Buffers.Binary;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// Seeded, stacked byte-level mutations of valid inputs (AFL's havoc stage in miniature): bit flips, interesting
/// bytes, truncations, deletions, duplications, splices with another corpus entry, random or overlong varints and
/// corrupted 32-bit length fields in either byte order. The same seed gives the same sequence of inputs.
/// </summary>
public sealed class ByteMutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x08, 0x0A, 0x10, 0x12];
    private static readonly int[] InterestingInts = [0, 1, -1, 2, 16, 127, 128, 255, 256, 1024, 65535, 65536, int.MaxValue, int.MinValue, int.MaxValue / 2];
    private readonly Random _rng = new(seed);

    public Random Random => _rng;

    public byte[] Mutate(IReadOnlyList<byte[]> corpus)
    {
        byte[] data = corpus[_rng.Next(corpus.Count)];
        int rounds = 1 + _rng.Next(4);
        for (int r = 0; r < rounds; r++) data = Once(data, corpus);
        return data;
    }

    private byte[] Once(byte[] d, IReadOnlyList<byte[]> corpus)
    {
        if (d.Length == 0) return [.. InterestingBytes.AsSpan(0, 1 + _rng.Next(InterestingBytes.Length))];
        byte[] c = (byte[])d.Clone();
        int at = _rng.Next(c.Length);
        switch (_rng.Next(9))
        {
            case 0:
                c[at] ^= (byte)(1 << _rng.Next(8));
                return c;
            case 1:
                c[at] = InterestingBytes[_rng.Next(InterestingBytes.Length)];
                return c;
            case 2:
                return c[..at];
            case 3:
                return [.. c[..at], .. c[Math.Min(c.Length, at + 1 + _rng.Next(16))..]];
            case 4:
                int length = Math.Min(c.Length - at, 1 + _rng.Next(32));
                return [.. c[..(at + length)], .. c[at..(at + length)], .. c[(at + length)..]];
            case 5:
                byte[] other = corpus[_rng.Next(corpus.Count)];
                return other.Length == 0 ? c : [.. c[..at], .. other[_rng.Next(other.Length)..]];
            case 6:
                return [.. c[..at], .. RandomVarint(), .. c[Math.Min(c.Length, at + 1)..]];
            case 7:
                if (c.Length - at < 4) return c;
                int value = InterestingInts[_rng.Next(InterestingInts.Length)] + _rng.Next(-2, 3);
                if (_rng.Next(2) == 0) BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(at), value);
                else BinaryPrimitives.WriteInt32BigEndian(c.AsSpan(at), value);
                return c;
            default:
                c[at] = (byte)_rng.Next(256);
                return c;
        }
    }

    /// <summary>A varint of 1–5 bytes, or an overlong one (10+ continuation bytes) as protobuf readers must refuse.</summary>
    private byte[] RandomVarint()
    {
        if (_rng.Next(8) == 0) return [.. Enumerable.Repeat((byte)0xFF, 10 + _rng.Next(4)), 0x01];
        ulong value = (ulong)_rng.NextInt64() >> _rng.Next(64);
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
