using System.Globalization;
using System.Text;

namespace EdgeSkyrmion.Cloud.Reports;

/// <summary>A CSV file with a header row; numbers in invariant culture, round-trippable.</summary>
public sealed class CsvTable(params string[] columns)
{
    private readonly List<string> _rows = [string.Join(',', columns.Select(Escape))];

    public CsvTable Row(params object[] cells)
    {
        if (cells.Length != columns.Length) throw new ArgumentException($"CSV row has {cells.Length} cells, header has {columns.Length}.");
        _rows.Add(string.Join(',', cells.Select(c => Escape(c switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => c?.ToString() ?? "",
        }))));
        return this;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".partial";
        File.WriteAllText(temp, string.Join('\n', _rows) + "\n", Encoding.UTF8);
        File.Move(temp, path, overwrite: true);
    }

    private static string Escape(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;
}
