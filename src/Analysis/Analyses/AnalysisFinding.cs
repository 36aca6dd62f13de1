namespace Kecleon.Analyses;

/// <summary><see cref="NotUnderstood"/>: a construct the analysis does not model; what it touches is classified
/// conservatively. <see cref="Note"/>: modelled, but worth knowing (CO-RE relocations, tail calls).</summary>
public enum FindingKind { NotUnderstood, Note }

/// <summary>Something the analysis reports about the program besides its model.</summary>
public sealed record AnalysisFinding(FindingKind Kind, string Where, string Message)
{
    public string KindName => Kind == FindingKind.NotUnderstood ? "not-understood" : "note";
    public override string ToString() => Where.Length > 0 ? $"{KindName}: {Where}: {Message}" : $"{KindName}: {Message}";
}
