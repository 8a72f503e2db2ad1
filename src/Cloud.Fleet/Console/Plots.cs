using ScottPlot;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// The console's plots, drawn on the server by ScottPlot as SVG (no chart script in the browser, so the page's
/// Content-Security-Policy stays script-src 'self'). Each returns the SVG document.
/// </summary>
public static class Plots
{
    private const int Width = 720, Height = 360;

    /// <summary>A line over time (Unix ms on x).</summary>
    public static string OverTime(string title, string yLabel, IReadOnlyList<long> unixMs, IReadOnlyList<double> y)
    {
        var plot = New(title, "time (UTC)", yLabel);
        if (unixMs.Count > 0)
        {
            double[] xs = [.. unixMs.Select(t => DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToOADate())];
            var line = plot.Add.Scatter(xs, y.ToArray());
            line.MarkerSize = unixMs.Count > 50 ? 0 : 5;
            plot.Axes.DateTimeTicksBottom();
        }
        return Svg(plot, unixMs.Count);
    }

    /// <summary>y against x with optional vertical markers (a budget, the chosen point).</summary>
    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<double> y, params (string Label, double X)[] markers)
    {
        var plot = New(title, xLabel, yLabel);
        if (x.Count > 0) plot.Add.Scatter(x.ToArray(), y.ToArray()).LegendText = yLabel;
        foreach ((string label, double at) in markers)
        {
            var marker = plot.Add.VerticalLine(at);
            marker.LegendText = label;
            marker.LinePattern = LinePattern.Dashed;
        }
        if (markers.Length > 0) plot.ShowLegend(Alignment.LowerRight);
        return Svg(plot, x.Count);
    }

    /// <summary>A histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<double> values, int bins = 20)
    {
        var plot = New(title, xLabel, "count");
        if (values.Count > 0)
        {
            double min = values.Min(), max = values.Max();
            double width = max > min ? (max - min) / bins : Math.Max(Math.Abs(min), 1) / bins;
            double[] counts = new double[bins];
            foreach (double v in values) counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
            var bars = plot.Add.Bars([.. Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width)], counts);
            foreach (var bar in bars.Bars) bar.Size = width * 0.95;
            plot.Axes.Margins(bottom: 0);
        }
        return Svg(plot, values.Count);
    }

    private static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static string Svg(Plot plot, int points)
    {
        if (points == 0) plot.Add.Annotation("no data yet");
        return plot.GetSvgXml(Width, Height);
    }
}
