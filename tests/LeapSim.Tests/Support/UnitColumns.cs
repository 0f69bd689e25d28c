using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Support;

/// <summary>
/// The unit table's state and flow columns, saved when made: a module's fast path is stepped, its columns copied
/// (<see cref="Copy"/>), the table put back (<see cref="Restore"/>), the scalar path stepped, and the two compared bit
/// for bit (<see cref="AssertSameBits"/>).
/// </summary>
internal sealed class UnitColumns
{
    private readonly (string Name, float[] Data)[] _columns;
    private readonly float[][] _saved;

    public UnitColumns(RuralUnits units)
    {
        _columns = units.StateColumns.Concat(units.NamedFlowColumns).ToArray();
        _saved = Copy();
    }

    /// <summary>A copy of every column as it is now.</summary>
    public float[][] Copy() => _columns.Select(c => (float[])c.Data.Clone()).ToArray();

    /// <summary>Puts every column back as it was when this was made.</summary>
    public void Restore()
    {
        for (var k = 0; k < _columns.Length; k++) _saved[k].CopyTo(_columns[k].Data, 0);
    }

    /// <summary>
    /// Runs each way of stepping a module from the columns as they were when this was made (put back before each), and
    /// asserts that every way left the same bits as the last (the reference, e.g. one unit at a time), which the
    /// columns keep: e.g. as the machine steps, then four lanes, then one unit at a time.
    /// </summary>
    public void AssertSameBitsEachWay(params Action[] ways)
    {
        var results = new List<float[][]>();
        for (var w = 0; w < ways.Length; w++)
        {
            if (w > 0) Restore();
            ways[w]();
            if (w < ways.Length - 1) results.Add(Copy());
        }
        foreach (var result in results) AssertSameBits(result);
    }

    /// <summary>The named column as it was when this was made.</summary>
    public float[] Saved(string name) => _saved[Array.FindIndex(_columns, c => c.Name == name)];

    /// <summary>Every column now has the same bits as <paramref name="fourAtATime"/> (a <see cref="Copy"/>).</summary>
    public void AssertSameBits(float[][] fourAtATime)
    {
        for (var k = 0; k < _columns.Length; k++)
            for (var i = 0; i < _saved[k].Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(fourAtATime[k][i]) == BitConverter.SingleToInt32Bits(_columns[k].Data[i]),
                    $"{_columns[k].Name}[{i}]: {fourAtATime[k][i]:R} four at a time, {_columns[k].Data[i]:R} one by one");
    }
}
