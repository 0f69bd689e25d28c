using LeapSim.Core.Results;

namespace LeapSim.Cli.Output;

/// <summary>Writes tables into an output folder being built (<see cref="AtomicDirectory"/>): CSV, and Parquet beside it.</summary>
public static class TableFiles
{
    /// <summary>Writes NAME.csv (and NAME.parquet when <paramref name="parquet"/>) at <paramref name="relativeFolder"/> inside the folder.</summary>
    public static void Write(AtomicDirectory dir, Table table, bool parquet = true, string relativeFolder = "")
    {
        var csv = dir.PathFor(Path.Combine(relativeFolder, table.Name + ".csv"));
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        using (var s = File.Create(csv)) CsvTableWriter.Write(table, s);
        if (!parquet) return;
        using (var s = File.Create(dir.PathFor(Path.Combine(relativeFolder, table.Name + ".parquet"))))
            ParquetTableWriter.WriteAsync(table, s).GetAwaiter().GetResult();
    }

    /// <summary>Writes a table as one CSV file, atomically (the file holds its old content or the whole new one).</summary>
    public static void WriteCsvFile(string path, Table table) =>
        AtomicDirectory.WriteFileAtomically(path, s => CsvTableWriter.Write(table, s));
}
