using ScottPlot;

namespace EdgeSkyrmion.Cloud.Reports;

/// <summary>
/// Line charts with optional error bars, saved as PNG: the figures the reproduction commands regenerate
/// (conductance curves, sweeps, budget curves). One series per call to <see cref="Add"/>.
/// </summary>
public sealed class Chart(string title, string xLabel, string yLabel)
{
    private readonly List<(string Label, double[] X, double[] Y, double[]? Error)> _series = [];

    public Chart Add(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double>? error = null)
    {
        if (x.Count != y.Count || (error is not null && error.Count != y.Count))
            throw new ArgumentException($"series {label}: x, y and error must have the same length.");
        _series.Add((label, x.ToArray(), y.ToArray(), error?.ToArray()));
        return this;
    }

    /// <summary>Logarithmic x axis (e.g. number of levels).</summary>
    public bool LogX { get; init; }

    /// <summary>Logarithmic y axis (e.g. energies spanning decades); every y must be &gt; 0.</summary>
    public bool LogY { get; init; }

    public void SavePng(string path, int width = 900, int height = 600)
    {
        var plot = new Plot();
        foreach ((string label, double[] x, double[] y, double[]? error) in _series)
        {
            double[] xs = LogX ? x.Select(Math.Log10).ToArray() : x;
            if (LogY && (y.Any(v => !(v > 0)) || error is not null)) throw new ArgumentException($"series {label}: a logarithmic y axis needs every value > 0 and no error bars.");
            var scatter = plot.Add.Scatter(xs, LogY ? y.Select(Math.Log10).ToArray() : y);
            scatter.LegendText = label;
            if (error is not null)
            {
                var bars = plot.Add.ErrorBar(xs, y, error);
                bars.Color = scatter.Color;
            }
        }
        if (LogX)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            foreach (double v in _series.SelectMany(s => s.X).Distinct().Order())
                ticks.AddMajor(Math.Log10(v), v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        if (LogY)
        {
            // A tick at each decade the data span.
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            double[] decades = [.. _series.SelectMany(s => s.Y).Select(v => Math.Log10(v))];
            for (int k = (int)Math.Floor(decades.Min()); k <= (int)Math.Ceiling(decades.Max()); k++)
                ticks.AddMajor(k, Math.Pow(10, k).ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            plot.Axes.Left.TickGenerator = ticks;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (_series.Count > 1) plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".partial.png";
        plot.SavePng(temp, width, height);
        File.Move(temp, path, overwrite: true);
    }
}
