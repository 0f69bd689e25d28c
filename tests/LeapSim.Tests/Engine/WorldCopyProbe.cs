namespace LeapSim.Core.World;

/// <summary>
/// For WorldTemplateTests: a state object in the world's namespace (the copier copies only the world's own types) with
/// a member of a kind the copier does not know, a list, which it must refuse rather than share between runs.
/// </summary>
internal sealed class TestStateWithAList
{
    public float[] Data = [1f];
    public List<int> Items = [1];
}
