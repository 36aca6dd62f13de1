using System.Text;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Planning;

/// <summary>How a lookup site is specialized.</summary>
public enum SiteStrategy
{
    /// <summary>The whole map becomes code: a switch or a compare tree over the snapshot, values as constants.</summary>
    InlineWhole,
    /// <summary>The whole map becomes a search over ranges: an LPM table's address ranges, or a small-keyed hash map's
    /// keys, in code or in .rodata tables.</summary>
    TableSearch,
    /// <summary>The profile's hottest keys are compared before the kernel lookup.</summary>
    HotKeys,
    /// <summary>A lookup at a constant key where the data plane writes some fields of the value: the lookup stays (its
    /// pointer is needed for the writes), and loads of the other fields become the snapshot's bytes.</summary>
    FoldFields,
    /// <summary>The kernel's lookup stays.</summary>
    Leave,
}

/// <summary>A live map as the catalogue lists it, before its snapshot is read.</summary>
public sealed record CatalogedMap(string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries)
{
    /// <summary>For an array small enough to inline, the distinct values it holds (read without a guard, so a hint: the
    /// snapshot decides); null when not read. An array with too many is not read again, nor guarded.</summary>
    public int? DistinctValues { get; init; }
}

/// <summary>The maps a program has, by name: the loaded ones (what the kernel says) or the declared ones.</summary>
public sealed class MapCatalogue(IEnumerable<CatalogedMap> maps)
{
    private readonly Dictionary<string, CatalogedMap> _maps = maps.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public CatalogedMap? Find(string name) => _maps.GetValueOrDefault(name);

    /// <summary>The maps as the program declares them (before anything is loaded).</summary>
    public static MapCatalogue Declared(Kecleon.Analyses.ProgramAnalysis analysis) => new(analysis.Maps.Maps
        .Where(m => m.Type is not null)
        .Select(m => new CatalogedMap(m.Name, m.Type!.Value, m.KeySize, m.ValueSize, m.MaxEntries)));
}

/// <summary>A map to read before specializing: the whole map, or only these keys (one lookup each).</summary>
public sealed record SnapshotRequirement(string Map, IReadOnlyList<byte[]>? Keys)
{
    public bool Whole => Keys is null;
}

/// <summary>What the plan says about one lookup site.</summary>
public sealed record SiteDecision(int Site, string Location, string? Map)
{
    public SiteStrategy Strategy { get; init; }
    /// <summary>Why the whole map is not inlined at this site; null when it is (<see cref="SiteStrategy.InlineWhole"/> or
    /// <see cref="SiteStrategy.TableSearch"/>).</summary>
    public PlanReason? WholeMapReason { get; init; }
    /// <summary>Why the site gets no hot keys; null when the profile's keys may be compared here (the whole-map inliner
    /// goes first; the hot-key pass takes what it leaves).</summary>
    public PlanReason? HotKeysReason { get; init; }
    /// <summary>For <see cref="SiteStrategy.Leave"/>: why.</summary>
    public PlanReason? Reason => Strategy == SiteStrategy.Leave ? WholeMapReason ?? HotKeysReason : null;
    /// <summary>The whole map's snapshot is planned but not read yet: <see cref="Strategy"/> is what the map's type
    /// suggests, and <see cref="SpecializationPlan.Refine"/> settles it on the contents.</summary>
    public bool Provisional { get; init; }
    /// <summary>Without a profile: would a profile of this site's keys let it be specialized?</summary>
    public bool NeedsKeyProfile { get; init; }
    /// <summary>How the whole map is inlined, once its snapshot is read.</summary>
    internal Strategy? Inlining { get; init; }
    /// <summary>Distinct constant answers the whole map's code gives (a miss included), once its snapshot is read: what
    /// the site may multiply the verifier's paths by.</summary>
    public long Answers { get; init; } = 1;
    /// <summary>A lookup at a constant key specialized on that key alone (<see cref="SiteStrategy.InlineWhole"/> on one
    /// entry, or <see cref="SiteStrategy.FoldFields"/>): the key.</summary>
    public byte[]? FoldedKey { get; init; }
}

/// <summary>
/// What to specialize and on what: per lookup site a <see cref="SiteDecision"/>, and the snapshots they need. Made by
/// <see cref="SpecializationPlanner"/> from the analysis, the map catalogue, the profile and the limits; the runtime
/// reads exactly <see cref="Snapshots"/> and guards them, <see cref="Refine"/> settles the whole-map strategies on the
/// contents, and the passes execute it. Site decisions are pure data; the write sites of rarely written maps are the
/// analysis's and valid only while its module is.
/// </summary>
public sealed class SpecializationPlan
{
    private readonly SpecializationPlanner _planner;
    private readonly Dictionary<int, SiteDecision> _byIndex;

    internal SpecializationPlan(SpecializationPlanner planner, IReadOnlyList<SiteDecision> sites, bool refined)
    {
        _planner = planner;
        Sites = sites;
        IsRefined = refined;
        _byIndex = sites.ToDictionary(s => s.Site);
        Signature = MakeSignature();
    }

    public InliningLimits Limits => _planner.Limits;
    public IReadOnlyList<SiteDecision> Sites { get; }
    /// <summary>The maps to read, whole maps first, each in the analysis's map order (the order guard slots are taken in).</summary>
    public IReadOnlyList<SnapshotRequirement> Snapshots => _planner.Requirements;
    /// <summary>Maps the data plane writes that the hot-key pass may still specialize: the profile says their writes are
    /// rare. Each with its write sites.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<HelperCallSite>> RarelyWritten => _planner.RarelyWritten;
    /// <summary>Maps the data plane writes that get no hot keys for how often (or how unknowably often) they are written,
    /// in the analysis's map order.</summary>
    public IReadOnlyList<PlanReason> WrittenMapReasons => _planner.WrittenMapReasons;
    /// <summary>The keys (upper-case hex) the data plane itself writes of a map it writes at constant keys only (its other
    /// keys may be folded): their values change under a specialized program without a fallback.</summary>
    public IReadOnlySet<string> KeysWrittenByDataPlane(string map) => _planner.KeysWrittenByDataPlane(map);

    /// <summary>The whole-map strategies were chosen on the snapshots' contents.</summary>
    public bool IsRefined { get; }

    /// <summary>The decision for lookup site <paramref name="site"/> (<see cref="HelperCallSite.Index"/>).</summary>
    public SiteDecision For(int site) => _byIndex[site];

    /// <summary>The lookup sites whose keys a profile should record.</summary>
    public IReadOnlySet<int> KeyProfileSites => Sites.Where(s => s.NeedsKeyProfile).Select(s => s.Site).ToHashSet();

    /// <summary>What of the plan depends on the profile: per site that may get hot keys, the keys it would take, and the
    /// maps taken as rarely written. Equal signatures with the same maps make the same program.</summary>
    public string Signature { get; }

    /// <summary>The plan with each whole-map strategy chosen on the snapshot read for it (<paramref name="whole"/>), and
    /// the hot-key snapshots (<paramref name="hotKeys"/>) the hot-key pass answers from.</summary>
    public SpecializationPlan Refine(IReadOnlyDictionary<string, MapSnapshot> whole, IReadOnlyDictionary<string, MapSnapshot> hotKeys) =>
        _planner.Decide(whole, hotKeys);

    /// <summary>
    /// The sites this plan specializes, the ones to drop first when the specialized program costs the verifier too much:
    /// fewest profile hits per verifier cost (a whole map's distinct answers, each a possible walk of the code after it;
    /// a hot-key site's compares), so the budget stays where the profile says the code is hot. Without a profile every
    /// site counts as equally hot: the costliest go first.
    /// </summary>
    public IReadOnlyList<SiteDecision> CostliestFirst()
    {
        var profile = _planner.Profile;
        double Hits(SiteDecision s) => HitsOf(s.Site) ?? 1;
        double Cost(SiteDecision s) => s.Strategy == SiteStrategy.HotKeys
            ? Math.Max(2, Math.Min(profile?.Site(s.Site)?.Keys.Count ?? 1, Limits.MostHotKeys(8)))
            : Math.Max(2, s.Answers);
        return Sites.Where(s => s.Strategy != SiteStrategy.Leave)
            .OrderBy(s => Hits(s) / Cost(s)).ThenByDescending(Cost).ThenByDescending(s => s.Site).ToList();
    }

    /// <summary>How often lookup site <paramref name="site"/> ran by the profile; null without one.</summary>
    public double? HitsOf(int site) => _planner.HitsOf(site);

    /// <summary>The plan with <paramref name="dropped"/>'s sites left to the kernel for the reason given with each (the
    /// verifier's budget backing off): no whole map, no hot keys there.</summary>
    public SpecializationPlan Without(IReadOnlyDictionary<int, PlanReason> dropped) => dropped.Count == 0 ? this
        : new SpecializationPlan(_planner, Sites.Select(s => dropped.TryGetValue(s.Site, out var why)
            ? s with { Strategy = SiteStrategy.Leave, WholeMapReason = why, HotKeysReason = why, Inlining = null, Provisional = false }
            : s).ToList(), IsRefined);

    private string MakeSignature()
    {
        var text = new StringBuilder();
        foreach (var site in Sites.Where(s => s.HotKeysReason is null).OrderBy(s => s.Site))
        {
            var keys = _planner.Profile?.Site(site.Site)?.Keys ?? [];
            var most = Limits.MostHotKeys(keys.Count > 0 ? keys[0].Key.Length : 0);
            text.Append(site.Site).Append(':').Append(site.Map).Append(':')
                .AppendJoin(",", keys.Take(most).Select(k => Convert.ToHexString(k.Key)).Order(StringComparer.Ordinal)).Append(';');
        }
        text.Append("rarely written:").AppendJoin(",", RarelyWritten.Keys.Order(StringComparer.Ordinal));
        return text.ToString();
    }
}
