using Kecleon.Passes;
using Kecleon.Access;
using Kecleon.Bpf;

namespace Kecleon.Optimizer.Planning;

/// <summary>Why a lookup site is not specialized one way or another (see <see cref="PlanReason"/> for the data each
/// carries).</summary>
public enum PlanReasonKind
{
    // ---- Eligibility: decided by the planner ----------------------------------------------------------------------

    /// <summary>The site looks up an inner map, or one of several maps.</summary>
    MapNotStatic,
    /// <summary>The program itself writes the map (<see cref="PlanReason.Access"/>).</summary>
    WrittenByDataPlane,
    /// <summary>Another loaded program writes the map.</summary>
    WrittenByAnotherProgram,
    /// <summary>The program writes the value at this lookup's constant key (<see cref="PlanReason.Key"/>); its other
    /// constant keys are read-only.</summary>
    KeyWrittenByDataPlane,
    /// <summary>The program writes some fields of the value at this lookup's constant key (<see cref="PlanReason.Key"/>):
    /// the lookup stays, and the field folding pass folds the loads of the other fields.</summary>
    FieldsWrittenByDataPlane,
    /// <summary>The map was not read; <see cref="PlanReason.Cause"/> says why the planner did not ask for it.</summary>
    NotSnapshotted,
    /// <summary>The map is mmapable: writes through the mapping bypass every hook.</summary>
    Mmapable,
    /// <summary>The map holds a value per CPU.</summary>
    PerCpu,
    /// <summary>The map is not among the loaded program's maps.</summary>
    NotLoaded,
    /// <summary>More entries than the cost model inlines (<see cref="PlanReason.Count"/> over <see cref="PlanReason.Limit"/>).</summary>
    TooManyEntries,
    /// <summary>An array with more distinct values than the cost model folds.</summary>
    TooManyDistinctValues,
    /// <summary>An LPM table whose prefixes make more address ranges than the cost model searches.</summary>
    TooManyRanges,
    /// <summary>Maps of this <see cref="PlanReason.Type"/> (or key size) are not inlined whole.</summary>
    MapTypeNotInlined,
    /// <summary>An array: the kernel's own inlined lookup is cheaper than compares of hot keys.</summary>
    ArrayLookupIsCheaper,
    /// <summary>Hot keys of maps of this <see cref="PlanReason.Type"/> are not compared.</summary>
    MapTypeNoHotKeys,
    /// <summary>No profile was given, so no site can have hot keys.</summary>
    NoProfile,
    /// <summary>The profile recorded no key of this site.</summary>
    NoProfiledKeys,
    /// <summary>The data plane writes the map and the profile's branch counts cannot say how often.</summary>
    WriteRateUnknown,
    /// <summary>The data plane writes the map for <see cref="PlanReason.Share"/> of the packets, over
    /// <see cref="PlanReason.LimitShare"/>.</summary>
    WriteRateTooHigh,
    /// <summary>The data plane writes the map and it was written since the last full build: a reaction's build leaves it
    /// to the full build after the writes pause (<see cref="Specialization.InliningLimits.WrittenMapsLeft"/>).</summary>
    LeftToFullBuild,

    // ---- The cost model of the code: decided by the passes, which see the IR and the words used ----------------------

    /// <summary>The lookup's result is used in a way the rewrite does not cover (<see cref="PlanReason.Detail"/>).</summary>
    ResultUseNotRewritable,
    /// <summary>The uses of the value span more 64-bit words than the cost model carries.</summary>
    ValueTooWide,
    /// <summary>The search tables would take <see cref="PlanReason.Count"/> bytes of .rodata, over <see cref="PlanReason.Limit"/>.</summary>
    TableTooLarge,
    /// <summary><see cref="PlanReason.Count"/> distinct answers would make <see cref="PlanReason.Combinations"/> combinations of
    /// constants with the maps inlined before, over <see cref="PlanReason.Limit"/>.</summary>
    TooManyCombinations,
    /// <summary>Dropped after the specialized program cost the verifier too much (<see cref="PlanReason.Detail"/>: what it
    /// measured); the sites with the fewest profile hits per verifier cost go first.</summary>
    VerifierBackOff,
    /// <summary>No profiled key adds enough of the site's lookups to be worth a compare.</summary>
    NoKeyWorthACompare,
    /// <summary>The <see cref="PlanReason.Count"/> hottest keys cover <see cref="PlanReason.Share"/> of the lookups, under
    /// <see cref="PlanReason.LimitShare"/>.</summary>
    LowCoverage,
}

/// <summary>
/// A typed reason for leaving a site alone (or for not reading a map): a kind and its data. <see cref="Text"/> renders it
/// for the step log and the CLI.
/// </summary>
public sealed record PlanReason(PlanReasonKind Kind, string Map = "") : IStepReason
{
    public long Count { get; init; }
    public long Limit { get; init; }
    public long Combinations { get; init; }
    public double Share { get; init; }
    public double LimitShare { get; init; }
    public BpfMapType? Type { get; init; }
    public MapAccess? Access { get; init; }
    /// <summary>For <see cref="PlanReasonKind.ResultUseNotRewritable"/>: what the use is.</summary>
    public string Detail { get; init; } = "";
    /// <summary>For <see cref="PlanReasonKind.NotSnapshotted"/>: why the planner did not ask for the map.</summary>
    public PlanReason? Cause { get; init; }
    /// <summary>For <see cref="PlanReasonKind.WrittenByDataPlane"/> and <see cref="PlanReasonKind.WrittenByAnotherProgram"/>:
    /// who writes the map (the first writer found; null when the caller did not say).</summary>
    public MapWriter? Writer { get; init; }
    /// <summary>For <see cref="PlanReasonKind.KeyWrittenByDataPlane"/> and <see cref="PlanReasonKind.FieldsWrittenByDataPlane"/>:
    /// what the data plane writes at the key.</summary>
    public KeyAccess? Key { get; init; }

    /// <summary>The reason as the step log says it.</summary>
    public string Text => Kind switch
    {
        PlanReasonKind.MapNotStatic => "the map is not known statically",
        PlanReasonKind.WrittenByDataPlane => $"{Map} is {(Access ?? MapAccess.MayWrite).Name()} by the data plane" + (Writer is { } w ? $": {w.Text}" : ""),
        PlanReasonKind.WrittenByAnotherProgram => Writer is { } other
            ? $"{Map} is written by {other.Text} that shares it" + (Count > 1 ? $" (and {Count - 1} more program(s))" : "")
            : $"{Map} is written by another loaded program",
        PlanReasonKind.KeyWrittenByDataPlane when Key is { } key =>
            $"key {key.KeyText} of {Map} is {key.WrittenText}{Sites(key)}; its other constant keys are read-only",
        PlanReasonKind.FieldsWrittenByDataPlane when Key is { } key =>
            $"key {key.KeyText} of {Map}: {key.WrittenText}{Sites(key)}; the lookup stays and the other fields are folded",
        PlanReasonKind.NotSnapshotted => $"no snapshot of {Map}" + (Cause is { } cause ? $" ({cause.Text})" : ""),
        PlanReasonKind.Mmapable => $"{Map} is mmapable (writes bypass every hook)",
        PlanReasonKind.PerCpu => $"{Map} is per-CPU",
        PlanReasonKind.NotLoaded => $"{Map} is not among the loaded program's maps",
        PlanReasonKind.TooManyEntries => $"{Map} has {Count} entries, over the {Limit} the cost model inlines",
        PlanReasonKind.TooManyDistinctValues =>
            $"{Map} holds {Count} distinct values, over the {Limit} the cost model folds (the kernel inlines array lookups itself)",
        PlanReasonKind.TooManyRanges => $"{Map}'s prefixes make {Count} address ranges, over the {Limit} the cost model searches in code",
        PlanReasonKind.MapTypeNotInlined => $"{Map}: {Type} maps are not inlined",
        PlanReasonKind.ArrayLookupIsCheaper => $"{Map} is an array: the kernel inlines its lookup into a bounds check and an add, which costs less than " +
                                               "compares even when the hot values fold (the router's next hops as 16 hot keys: 8 % slower than the lookup)",
        PlanReasonKind.MapTypeNoHotKeys => $"{Map}: hot keys of {Type} maps are not compared",
        PlanReasonKind.NoProfile => "no profile, so no hot keys",
        PlanReasonKind.NoProfiledKeys => $"the profile recorded no key of this lookup in {Map}",
        PlanReasonKind.WriteRateUnknown => $"{Map} is written by the data plane and the profile cannot say how often",
        PlanReasonKind.WriteRateTooHigh => $"{Map} is written by the data plane for {Share:P1} of the packets, over the {LimitShare:P1} the cost model allows",
        PlanReasonKind.LeftToFullBuild => $"{Map} is written by the data plane and was written since the last full build: a reaction's build leaves it " +
                                          "to the full build once the writes pause (the data plane refills what a write cleared, and each refill would be another rebuild)",
        PlanReasonKind.ResultUseNotRewritable => $"result of the lookup in {Map} {Detail}",
        PlanReasonKind.ValueTooWide => $"the uses of {Map}'s value span too many words",
        PlanReasonKind.TableTooLarge => $"{Map}'s search tables would take {Count} bytes of .rodata, over the {Limit} the cost model allows",
        PlanReasonKind.TooManyCombinations => $"{Map}'s {Count} distinct answers would make {Combinations} combinations of constants with the maps " +
                                              $"inlined before it, over the {Limit} the cost model allows (each is a path for the verifier)",
        PlanReasonKind.VerifierBackOff => $"{Map} left to the kernel to fit the verifier's budget: {Detail}",
        PlanReasonKind.NoKeyWorthACompare => $"{Map}: no profiled key is worth a compare",
        PlanReasonKind.LowCoverage => $"{Map}: the {Count} hottest keys cover {Share:P0} of the lookups, under the {LimitShare:P0} the cost model asks",
        _ => Kind.ToString(),
    };

    private static string Sites(KeyAccess key) => key.Sites.Count > 0 ? $" (#{string.Join(", #", key.Sites)})" : "";

    public override string ToString() => Text;
}

/// <summary>
/// Who writes a map: another loaded program (<see cref="ProgramId"/> and its kernel name), or a site of the analysed
/// object's own code (<see cref="Site"/>: <c>function (file:line)</c>, with what it does there), which belongs to
/// <see cref="ProgramName"/> when the object holds several programs and the site is another's.
/// </summary>
public sealed record MapWriter
{
    public uint? ProgramId { get; init; }
    public string? ProgramName { get; init; }
    public string Site { get; init; } = "";
    public string What { get; init; } = "";

    /// <summary>A loaded program outside this object.</summary>
    public static MapWriter Program(uint id, string name) => new() { ProgramId = id, ProgramName = name };

    public string Text => ProgramId is { } id
        ? $"program {id}{(string.IsNullOrEmpty(ProgramName) ? "" : $" ({ProgramName})")}"
        : (ProgramName is { } sibling ? $"program {sibling} of the same object, " : "") + (Site.Length > 0 ? $"{What} in {Site}" : What);

    public override string ToString() => Text;
}
