namespace Kecleon.Reports;

/// <summary>
/// How often blocks and edges of the control-flow graphs ran, from whatever measured it (a profile, a trace, a model):
/// blocks by function and block index in function order, edges by function and the two blocks' indices. Missing entries
/// are unknown, not zero. <see cref="DotGraph"/> colours a graph with them.
/// </summary>
public sealed record CfgWeights(
    IReadOnlyDictionary<(string Function, int Block), double> Blocks,
    IReadOnlyDictionary<(string Function, int From, int To), double> Edges)
{
    /// <summary>The largest block weight (at least 1), what a full colour stands for.</summary>
    public double Max => Math.Max(1, Blocks.Values.DefaultIfEmpty(0).Max());
}
