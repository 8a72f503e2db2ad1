namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// Rate coding of an image as Poisson spike trains (paper App. B): each pixel fires in a step with probability
/// intensity × max rate × dt (intensity = byte/255; with 1 kHz and 1 ms a white pixel fires every step). Black
/// pixels never fire and draw no random numbers, so the per-step work is proportional to the lit pixels. The
/// draws are made pixel by pixel in ascending index order from one <see cref="SpikeRandom"/>, which fixes the
/// spike trains by (image, seed) for every implementation that uses this encoder.
/// </summary>
public sealed class PoissonEncoder
{
    private readonly int[] _litPixels;
    private readonly ulong[] _fireBelow;
    private int _lit;
    private SpikeRandom _random;

    public PoissonEncoder(int pixels)
    {
        _litPixels = new int[pixels];
        _fireBelow = new ulong[pixels];
    }

    public int Pixels => _litPixels.Length;

    /// <summary>Starts the spike trains of one image; allocation-free.</summary>
    public void Reset(ReadOnlySpan<byte> image, ulong seed, double maxRateHz, double timestepS)
    {
        if (image.Length != _litPixels.Length)
            throw new ArgumentException($"image has {image.Length} pixels, the network's input layer has {_litPixels.Length}.", nameof(image));
        double probabilityPerUnit = maxRateHz * timestepS;
        _lit = 0;
        for (int p = 0; p < image.Length; p++)
        {
            if (image[p] == 0) continue;
            double probability = Math.Min(1.0, image[p] / 255.0 * probabilityPerUnit);
            _litPixels[_lit] = p;
            // A 32-bit uniform draw u fires when u < probability·2³²; probability 1 always fires.
            _fireBelow[_lit] = (ulong)Math.Round(probability * 4294967296.0);
            _lit++;
        }
        _random = new SpikeRandom(seed);
    }

    /// <summary>Draws one step: writes the indices of the pixels that fire (ascending) and returns how many.</summary>
    public int Step(Span<int> spikes)
    {
        int count = 0;
        for (int k = 0; k < _lit; k++)
            if (_random.NextUInt32() < _fireBelow[k]) spikes[count++] = _litPixels[k];
        return count;
    }
}
