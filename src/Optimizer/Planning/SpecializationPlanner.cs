using Kecleon.Cfg;
using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Maps;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Planning;

/// <summary>
/// The one place that decides what can be specialized. From the analysis (which maps each lookup site reads, who writes
/// them), the catalogue of the live maps (types and sizes, before anything is read), the profile and the limits, it
/// decides per lookup site whether its map is inlined whole, searched as a table, given hot keys or left to the kernel,
/// with a typed reason for every refusal, and which snapshots that takes (<see cref="SpecializationPlan"/>). A whole
/// map's strategy depends on its contents: <see cref="SpecializationPlan.Refine"/> settles it once the snapshot is read.
/// The code each decision becomes has a cost model of its own (the words a result's uses take, table bytes, combinations
/// of constants, which hot keys pay), which the passes apply as they emit it.
/// </summary>
public sealed class SpecializationPlanner
{
    /// <summary>What a lookup site is, as far as the plan cares: pure data, read from the analysis once.</summary>
    /// <remarks><see cref="KeyBytes"/>: a constant key's bytes; <see cref="KeyClass"/>: what the data plane writes at
    /// that key of a written map.</remarks>
    private sealed record SiteFacts(int Index, string Location, MapFacts? Map, bool ConstantKey, byte[]? KeyBytes = null, KeyAccess? KeyClass = null);

    /// <summary>A map a site reads, from its declaration and the access analysis.</summary>
    private sealed record MapFacts(string Name, MapAccess Access, BpfMapType? DeclaredType, int DeclaredKeySize, int DeclaredMaxEntries,
        bool IsPerCpu, bool IsMmapable, bool IsMapInMap, bool IsProgramArray, bool Defined);

    private readonly IReadOnlyList<SiteFacts> _sites;
    /// <summary>Arrays whose looked-up value is itself another lookup's key (a consistent-hash ring's slot holding a
    /// backend's index): a hot index answered as a constant makes the next lookup's key constant too.</summary>
    private readonly HashSet<string> _feedsLookups = new(StringComparer.Ordinal);
    /// <summary>How often each lookup site ran, by the profile (its block's count, else its key profile's lookups).</summary>
    private readonly Dictionary<int, double> _hits = [];
    private readonly MapCatalogue _catalogue;
    private readonly IReadOnlySet<string> _writtenElsewhere;
    /// <summary>Why a map has no whole snapshot (absent: it has one).</summary>
    private readonly Dictionary<string, PlanReason?> _wholeCause = new(StringComparer.Ordinal);
    /// <summary>Why a map has no hot-key snapshot (absent: it has one).</summary>
    private readonly Dictionary<string, PlanReason?> _hotCause = new(StringComparer.Ordinal);

    /// <summary>Per map the data plane writes at constant keys only, those keys (hex).</summary>
    private readonly Dictionary<string, IReadOnlySet<string>> _writtenKeys = new(StringComparer.Ordinal);

    /// <summary>Per map the data plane writes, its first write site in this object.</summary>
    private readonly Dictionary<string, MapWriter> _ownWriters = new(StringComparer.Ordinal);
    /// <summary>Per map another loaded program writes, those programs (when the caller named them).</summary>
    private readonly IReadOnlyDictionary<string, IReadOnlyList<MapWriter>> _otherWriters;

    private SpecializationPlanner(ProgramAnalysis analysis, MapCatalogue catalogue, Profile? profile, InliningLimits limits,
        IReadOnlySet<string> writtenElsewhere, IReadOnlyDictionary<string, IReadOnlyList<MapWriter>>? otherWriters = null)
    {
        _catalogue = catalogue;
        _writtenElsewhere = writtenElsewhere;
        _otherWriters = otherWriters ?? new Dictionary<string, IReadOnlyList<MapWriter>>();
        Profile = profile;
        Limits = limits;
        // What this object's own code does to each map: a map only another program writes is read-only here (and left
        // for that program, by name), not "written by the data plane".
        var access = analysis.MapAccess.ToDictionary(m => m.Map.Name, m => OwnAccess(m));
        foreach (var summary in analysis.MapAccess)
        {
            if (OwnWriter(analysis, summary) is { } writer)
                _ownWriters[summary.Map.Name] = writer;
            if (summary.WrittenKeys is { } keys)
                _writtenKeys[summary.Map.Name] = keys.Select(k => Convert.ToHexString(k.Key)).ToHashSet(StringComparer.Ordinal);
        }
        MapFacts Facts(MapDefinition map) => new(map.Name, access.GetValueOrDefault(map.Name, MapAccess.MayWrite), map.Type, map.KeySize,
            map.MaxEntries, map.IsPerCpu, map.IsMmapable, map.IsMapInMap, map.IsProgramArray, map.Origin == MapOrigin.Defined);
        _sites = analysis.LookupSites.Select(s => new SiteFacts(s.Index, s.Location,
            s.Maps.Count == 1 && s.InnerMapOf is null ? Facts(s.Maps[0]) : null, s.Key is { Kind: KeyOriginKind.Constant },
            s.Key is { Kind: KeyOriginKind.Constant, Bytes: { } bytes } ? bytes : null, s.KeyClass)).ToList();
        if (profile is { Packets: > 0 })
        {
            var frequencies = new BlockFrequencies(profile, new ControlFlowGraphs().Of);
            foreach (var site in analysis.LookupSites)
                if ((frequencies.Of(site.Call.Block) ?? profile.Site(site.Index)?.Lookups) is { } hits)
                    _hits[site.Index] = hits;
        }
        foreach (var site in analysis.LookupSites)
            if (KeySourceMap(site.Key) is { } source && site.Maps.All(m => m.Name != source))
                _feedsLookups.Add(source);
        (RarelyWritten, WrittenMapReasons) = profile is null ? (new Dictionary<string, IReadOnlyList<HelperCallSite>>(), []) : FindRarelyWritten(analysis, profile, limits);
    }

    /// <summary>The one map whose looked-up value a key is: the value's pointer passed as the key, or a stack key every
    /// byte of which was loaded from that value (<c>key = *slot</c>; not a merge of several lookups' values).</summary>
    private static string? KeySourceMap(KeyOrigin? key)
    {
        const string valueOf = "value of ";
        var sources = key switch
        {
            { Kind: KeyOriginKind.MapValue } k => [k.Description],
            { Kind: KeyOriginKind.Stack, Fields.Count: > 0 } k when k.Fields.All(f => f.Source.StartsWith(valueOf, StringComparison.Ordinal) && !f.Source.Contains(" | ", StringComparison.Ordinal))
                => k.Fields.Select(f => f.Source[valueOf.Length..]).ToList(),
            _ => new List<string>(),
        };
        var maps = sources.Select(s => s.Split('+')[0]).Distinct(StringComparer.Ordinal).ToList();
        return maps.Count == 1 && !maps[0].Contains(' ', StringComparison.Ordinal) ? maps[0] : null;
    }

    private static MapAccess OwnAccess(MapAccessSummary summary) =>
        summary.Access == MapAccess.ReadOnly ? MapAccess.ReadOnly
            : summary.Evidence.Where(e => !e.ByOtherProgram).Select(e => e.Access).DefaultIfEmpty(MapAccess.ReadOnly).Max();

    /// <summary>The first finding of this object's code that gives the map its class: the site, and the program it
    /// belongs to when the object holds several and it is not every program's.</summary>
    private static MapWriter? OwnWriter(ProgramAnalysis analysis, MapAccessSummary summary)
    {
        var own = OwnAccess(summary);
        if (own == MapAccess.ReadOnly || summary.Evidence.FirstOrDefault(e => !e.ByOtherProgram && e.Access == own) is not { } evidence)
            return null;
        var function = evidence.Where.Split(" (", 2)[0];
        string? program = null;
        if (analysis.Programs.Count > 1 && function.Length > 0)
        {
            var owners = analysis.Programs.Where(p => p.Functions.Any(f => f.Name == function)).Select(p => p.Name).ToList();
            if (owners.Count > 0 && owners.Count < analysis.Programs.Count)
                program = string.Join(", ", owners);
        }
        return new MapWriter { ProgramName = program, Site = evidence.Where, What = evidence.Reason };
    }

    private PlanReason WrittenByDataPlane(MapFacts map) =>
        new(PlanReasonKind.WrittenByDataPlane, map.Name) { Access = map.Access, Writer = _ownWriters.GetValueOrDefault(map.Name) };

    private PlanReason WrittenByAnotherProgram(MapFacts map) => _otherWriters.GetValueOrDefault(map.Name) is { Count: > 0 } writers
        ? new PlanReason(PlanReasonKind.WrittenByAnotherProgram, map.Name) { Writer = writers[0], Count = writers.Count }
        : new PlanReason(PlanReasonKind.WrittenByAnotherProgram, map.Name);

    /// <summary>The keys (hex) of <paramref name="map"/> the data plane writes, when it writes it at constant keys only.</summary>
    internal IReadOnlySet<string> KeysWrittenByDataPlane(string map) => _writtenKeys.GetValueOrDefault(map) ?? new HashSet<string>();

    internal InliningLimits Limits { get; }
    internal Profile? Profile { get; }
    internal IReadOnlyList<SnapshotRequirement> Requirements { get; private set; } = [];
    internal IReadOnlyDictionary<string, IReadOnlyList<HelperCallSite>> RarelyWritten { get; }
    internal IReadOnlyList<PlanReason> WrittenMapReasons { get; }

    /// <summary>
    /// The plan for a live program: which maps to read (whole, or the profile's hot keys of maps too large to read whole)
    /// and, provisionally, each site's strategy. <paramref name="writtenElsewhere"/>: maps another loaded program writes.
    /// </summary>
    /// <paramref name="otherWriters"/>: those programs per map, for the reasons.
    public static SpecializationPlan Plan(ProgramAnalysis analysis, MapCatalogue catalogue, Profile? profile, InliningLimits limits,
        IReadOnlySet<string>? writtenElsewhere = null, IReadOnlyDictionary<string, IReadOnlyList<MapWriter>>? otherWriters = null)
    {
        var planner = new SpecializationPlanner(analysis, catalogue, profile, limits, writtenElsewhere ?? new HashSet<string>(), otherWriters);
        planner.Requirements = planner.ChooseSnapshots(analysis);
        return planner.Decide(null, null);
    }

    /// <summary>The plan for snapshots someone else read (<paramref name="request"/>'s): those are all there is.</summary>
    public static SpecializationPlan ForSnapshots(ProgramAnalysis analysis, SpecializationRequest request)
    {
        var catalogue = new MapCatalogue(request.Snapshots.Values.Concat(request.HotKeySnapshots.Values)
            .Select(s => new CatalogedMap(s.Name, s.Type, s.KeySize, s.ValueSize, s.MaxEntries)).DistinctBy(m => m.Name));
        var planner = new SpecializationPlanner(analysis, catalogue, request.Profile, request.Limits, request.WrittenElsewhere);
        planner.Requirements =
        [
            .. request.Snapshots.Keys.Select(m => new SnapshotRequirement(m, null)),
            .. request.HotKeySnapshots.Where(s => !request.Snapshots.ContainsKey(s.Key))
                .Select(s => new SnapshotRequirement(s.Key, s.Value.Entries.Select(e => e.Key).ToList())),
        ];
        return planner.Decide(request.Snapshots, request.HotKeySnapshots);
    }

    /// <summary>The lookup sites whose keys a profile should record: those a profile could give hot keys to, unless their
    /// map is certain to be inlined whole (a hash map or array declared no larger than the cost model inlines).</summary>
    public static IReadOnlySet<int> KeyProfileSites(ProgramAnalysis analysis, InliningLimits? limits = null) =>
        Plan(analysis, MapCatalogue.Declared(analysis), null, limits ?? InliningLimits.Default).KeyProfileSites;

    // ---- Which snapshots ------------------------------------------------------------------------------------------

    private IReadOnlyList<SnapshotRequirement> ChooseSnapshots(ProgramAnalysis analysis)
    {
        var whole = new List<SnapshotRequirement>();
        var hot = new List<SnapshotRequirement>();
        var read = _sites.Where(s => s.Map is not null).Select(s => s.Map!.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var summary in analysis.MapAccess.Where(m => read.Contains(m.Map.Name)))
        {
            var map = _sites.First(s => s.Map?.Name == summary.Map.Name).Map!;
            if ((_wholeCause[map.Name] = WholeSnapshotCause(map)) is null)
                whole.Add(new SnapshotRequirement(map.Name, null));
        }
        foreach (var summary in analysis.MapAccess.Where(m => read.Contains(m.Map.Name)))
        {
            var map = _sites.First(s => s.Map?.Name == summary.Map.Name).Map!;
            var keys = HotKeysOf(map);
            // The constant keys of the lookups that fold at their key: one lookup each, whatever the rest of the map holds.
            var constant = _wholeCause[map.Name] is null || KeyedSnapshotCause(map) is not null ? []
                : _sites.Where(s => s.Map?.Name == map.Name && (FoldsAtKey(s) || FoldsFields(s))).Select(s => s.KeyBytes!).ToList();
            if (_wholeCause[map.Name] is null)
                _hotCause[map.Name] = null; // answered from the whole snapshot
            else if ((_hotCause[map.Name] = HotSnapshotCause(map, keys)) is null || constant.Count > 0)
                hot.Add(new SnapshotRequirement(map.Name, (_hotCause[map.Name] is null ? keys : []).Concat(constant).DistinctBy(Convert.ToHexString).ToList()));
        }
        return [.. whole, .. hot];
    }

    /// <summary>Why a map read by a site is not read whole. Reading costs time in proportion to the map's size, so maps
    /// the cost model would refuse anyway are not read (an array's size is its max_entries; a hash map's is known only
    /// by reading it).</summary>
    private PlanReason? WholeSnapshotCause(MapFacts map)
    {
        if (map.Access != MapAccess.ReadOnly)
            return WrittenByDataPlane(map);
        if (map.IsPerCpu)
            return new PlanReason(PlanReasonKind.PerCpu, map.Name);
        if (map.IsMmapable)
            return new PlanReason(PlanReasonKind.Mmapable, map.Name);
        if (map.IsMapInMap)
            return new PlanReason(PlanReasonKind.MapTypeNotInlined, map.Name) { Type = map.DeclaredType };
        if (_writtenElsewhere.Contains(map.Name))
            return WrittenByAnotherProgram(map);
        if (_catalogue.Find(map.Name) is not { } live)
            return new PlanReason(PlanReasonKind.NotLoaded, map.Name);
        return live.Type switch
        {
            BpfMapType.Array when live.MaxEntries > Limits.MaxExactEntries =>
                new PlanReason(PlanReasonKind.TooManyEntries, map.Name) { Count = live.MaxEntries, Limit = Limits.MaxExactEntries },
            BpfMapType.Array when live.DistinctValues > Limits.MaxDistinctArrayValues =>
                new PlanReason(PlanReasonKind.TooManyDistinctValues, map.Name) { Count = live.DistinctValues.Value, Limit = Limits.MaxDistinctArrayValues },
            BpfMapType.Array or BpfMapType.Hash or BpfMapType.LruHash => null,
            BpfMapType.LpmTrie when live.KeySize == 8 => null,
            _ => new PlanReason(PlanReasonKind.MapTypeNotInlined, map.Name) { Type = live.Type },
        };
    }

    /// <summary>Why a map not read whole has no snapshot of its hot keys. A map the program itself writes is read when the
    /// profile says it writes it rarely (the hot-key pass bumps its version at the writes). Not arrays: the kernel's own
    /// inlined lookup is cheaper.</summary>
    private PlanReason? HotSnapshotCause(MapFacts map, IReadOnlyList<byte[]> keys)
    {
        if (Profile is null)
            return new PlanReason(PlanReasonKind.NoProfile, map.Name);
        if (map.Access != MapAccess.ReadOnly && !RarelyWritten.ContainsKey(map.Name))
            return WrittenByDataPlane(map);
        if (map.IsPerCpu)
            return new PlanReason(PlanReasonKind.PerCpu, map.Name);
        if (map.IsMmapable)
            return new PlanReason(PlanReasonKind.Mmapable, map.Name);
        if (map.DeclaredType == BpfMapType.Array && !HotIndexPays(map.Name))
            return new PlanReason(PlanReasonKind.ArrayLookupIsCheaper, map.Name);
        if (map.IsMapInMap)
            return new PlanReason(PlanReasonKind.MapTypeNotInlined, map.Name) { Type = map.DeclaredType };
        if (_writtenElsewhere.Contains(map.Name))
            return WrittenByAnotherProgram(map);
        if (keys.Count == 0)
            return new PlanReason(PlanReasonKind.NoProfiledKeys, map.Name);
        if (_catalogue.Find(map.Name) is not { } live)
            return new PlanReason(PlanReasonKind.NotLoaded, map.Name);
        if (!HasComparableKeys(live.Type, live.KeySize))
            return new PlanReason(PlanReasonKind.MapTypeNoHotKeys, map.Name) { Type = live.Type };
        return null;
    }

    // ---- Per constant key and per field --------------------------------------------------------------------------------

    /// <summary>A lookup at a constant key of an array or hash map folds at that key (the one value the key has, whatever
    /// the other keys hold) when the data plane writes nothing at that key.</summary>
    private static bool FoldsAtKey(SiteFacts site) =>
        site is { KeyBytes: not null, Map: { Defined: true, DeclaredType: BpfMapType.Array or BpfMapType.Hash } map }
        && (map.Access == MapAccess.ReadOnly || site.KeyClass is { IsReadOnly: true });

    /// <summary>A lookup at a constant key where the data plane writes some fields of the value: the other fields fold.</summary>
    private static bool FoldsFields(SiteFacts site) =>
        site is { KeyBytes: not null, Map: { Defined: true, DeclaredType: BpfMapType.Array or BpfMapType.Hash, Access: not MapAccess.ReadOnly } }
        && site.KeyClass is { Whole: false, Written.Count: > 0 };

    /// <summary>Why a map's constant keys are not read one by one (null: they are).</summary>
    private PlanReason? KeyedSnapshotCause(MapFacts map)
    {
        if (map.IsPerCpu)
            return new PlanReason(PlanReasonKind.PerCpu, map.Name);
        if (map.IsMmapable)
            return new PlanReason(PlanReasonKind.Mmapable, map.Name);
        if (_writtenElsewhere.Contains(map.Name))
            return WrittenByAnotherProgram(map);
        if (_catalogue.Find(map.Name) is not { } live)
            return new PlanReason(PlanReasonKind.NotLoaded, map.Name);
        return live.Type is BpfMapType.Array or BpfMapType.Hash ? null : new PlanReason(PlanReasonKind.MapTypeNotInlined, map.Name) { Type = live.Type };
    }

    private bool HasKeySnapshot(string map, byte[] key) =>
        Requirements.Any(r => r.Map == map && r.Keys is { } keys && keys.Any(k => k.AsSpan().SequenceEqual(key)))
        || HasWholeSnapshot(map);

    /// <summary>The snapshot of one key: the entry at <paramref name="key"/> of the map's whole snapshot or of its keys'. It
    /// is complete for the site that asks only that key (an array's with as many slots as it holds: the key is in it, or
    /// out of the array's bounds and a miss), so the decision has no kernel lookup behind it and the key folds.</summary>
    internal static MapSnapshot OneKey(MapSnapshot snapshot, byte[] key)
    {
        var entries = snapshot.Entries.Where(e => e.Key.AsSpan().SequenceEqual(key)).Take(1).ToList();
        return snapshot with { Entries = entries, MaxEntries = snapshot.Type == BpfMapType.Array ? entries.Count : snapshot.MaxEntries };
    }

    /// <summary>Why a lookup at a constant key is not folded at its key; null with <paramref name="inlining"/> how (null too
    /// while the snapshot is not read).</summary>
    private PlanReason? KeyedReason(SiteFacts site, MapFacts map, IReadOnlyDictionary<string, MapSnapshot>? whole,
        IReadOnlyDictionary<string, MapSnapshot>? hotKeys, out Strategy? inlining)
    {
        inlining = null;
        if (KeyedSnapshotCause(map) is { } cause)
            return cause;
        if (whole is null)
            return null;
        var snapshot = whole.GetValueOrDefault(map.Name) ?? hotKeys?.GetValueOrDefault(map.Name);
        if (snapshot is null)
            return new PlanReason(PlanReasonKind.NotSnapshotted, map.Name);
        if (!Eligibility.TryChooseStrategy(OneKey(snapshot, site.KeyBytes!), Limits, out var strategy, out var why))
            return why;
        inlining = strategy;
        return null;
    }

    /// <summary>Why a lookup of a written map is left to the kernel: its key is written (<see cref="PlanReasonKind.KeyWrittenByDataPlane"/>),
    /// or the map as a whole is.</summary>
    private PlanReason WrittenReason(SiteFacts site, MapFacts map) => site.KeyClass is { } keyClass
        ? new PlanReason(PlanReasonKind.KeyWrittenByDataPlane, map.Name) { Detail = $"key {keyClass.KeyText}", Key = keyClass }
        : WrittenByDataPlane(map);

    /// <summary>The profile's keys of every site that reads <paramref name="map"/> alone, each once.</summary>
    private IReadOnlyList<byte[]> HotKeysOf(MapFacts map) => Profile is null ? [] : _sites.Where(s => s.Map?.Name == map.Name)
        .SelectMany(s => Profile.Site(s.Index)?.Keys ?? []).Where(k => k.Key.Length == map.DeclaredKeySize)
        .Select(k => k.Key).DistinctBy(Convert.ToHexString).ToList();

    /// <summary>How often lookup site <paramref name="site"/> ran by the profile; null without one (or where it cannot say).</summary>
    internal double? HitsOf(int site) => _hits.TryGetValue(site, out var hits) ? hits : null;

    /// <summary>Hot keys are compared for hash maps, IPv4 LPM tables and arrays (hot indices, where they pay).</summary>
    private static bool HasComparableKeys(BpfMapType type, int keySize) =>
        type is BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array || type == BpfMapType.LpmTrie && keySize == 8;

    /// <summary>The cost model of a hot index: the kernel inlines an array's lookup into a bounds check and an add, so
    /// compares of hot indices pay only when the value they make constant feeds a further lookup's key (ring slot to
    /// backend), which then folds too.</summary>
    private bool HotIndexPays(string map) => _feedsLookups.Contains(map);

    // ---- Per site ---------------------------------------------------------------------------------------------------

    /// <summary>Every site's decision; with snapshots (null: not read yet), the whole-map strategies on their contents.</summary>
    internal SpecializationPlan Decide(IReadOnlyDictionary<string, MapSnapshot>? whole, IReadOnlyDictionary<string, MapSnapshot>? hotKeys)
    {
        var decisions = new List<SiteDecision>(_sites.Count);
        foreach (var site in _sites)
        {
            var wholeReason = WholeMapReason(site, whole, hotKeys, out var inlining, out var foldedKey);
            var hotReason = HotKeysReason(site, whole, hotKeys);
            var provisional = wholeReason is null && inlining is null;
            var foldFields = wholeReason is { Kind: PlanReasonKind.FieldsWrittenByDataPlane } && site.Map is { } written
                             && (whole is null || KeyedReason(site, written, whole, hotKeys, out _) is null);
            var kindOfWhole = inlining?.Kind ?? (_catalogue.Find(site.Map?.Name ?? "")?.Type == BpfMapType.LpmTrie ? StrategyKind.Lpm : StrategyKind.Exact);
            decisions.Add(new SiteDecision(site.Index, site.Location, site.Map?.Name)
            {
                Strategy = wholeReason is null ? kindOfWhole == StrategyKind.Exact ? SiteStrategy.InlineWhole : SiteStrategy.TableSearch
                    : foldFields ? SiteStrategy.FoldFields
                    : hotReason is null ? SiteStrategy.HotKeys : SiteStrategy.Leave,
                FoldedKey = foldedKey ?? (foldFields ? site.KeyBytes : null),
                WholeMapReason = wholeReason,
                HotKeysReason = hotReason,
                Provisional = provisional,
                Inlining = inlining,
                Answers = foldedKey is null && inlining is not null && whole?.GetValueOrDefault(site.Map!.Name) is { } snapshot ? Eligibility.DistinctAnswers(snapshot, inlining) : 1,
                NeedsKeyProfile = NeedsKeyProfile(site, wholeReason, hotReason),
            });
        }
        return new SpecializationPlan(this, decisions, whole is not null);
    }

    /// <summary>Why the site's map is not inlined whole, in the order the checks are reported; null with
    /// <paramref name="inlining"/> how (null too while the snapshot is not read).</summary>
    private PlanReason? WholeMapReason(SiteFacts site, IReadOnlyDictionary<string, MapSnapshot>? snapshots,
        IReadOnlyDictionary<string, MapSnapshot>? hotKeys, out Strategy? inlining, out byte[]? foldedKey)
    {
        inlining = null;
        foldedKey = null;
        if (site.Map is not { } map)
            return new PlanReason(PlanReasonKind.MapNotStatic);
        var atKey = FoldsAtKey(site) && HasKeySnapshot(map.Name, site.KeyBytes!);
        if (map.Access != MapAccess.ReadOnly && !atKey)
            return FoldsFields(site) && HasKeySnapshot(map.Name, site.KeyBytes!) && site.KeyClass is { } fields
                ? new PlanReason(PlanReasonKind.FieldsWrittenByDataPlane, map.Name) { Detail = $"key {fields.KeyText}", Key = fields }
                : WrittenReason(site, map);
        if (_writtenElsewhere.Contains(map.Name))
            return WrittenByAnotherProgram(map);
        // A written map's read-only key, or a key of a map the cost model refuses whole: the one value of that key.
        if (atKey && (map.Access != MapAccess.ReadOnly || !HasWholeSnapshot(map.Name)
                      || snapshots?.GetValueOrDefault(map.Name) is { } all && !Eligibility.TryChooseStrategy(all, Limits, out _, out _)))
        {
            var keyed = KeyedReason(site, map, snapshots, hotKeys, out inlining);
            if (keyed is null)
                foldedKey = site.KeyBytes;
            return keyed;
        }
        if (!HasWholeSnapshot(map.Name))
            return _wholeCause.GetValueOrDefault(map.Name) is { Kind: PlanReasonKind.TooManyDistinctValues } distinct
                ? distinct // what the snapshot would have said
                : new PlanReason(PlanReasonKind.NotSnapshotted, map.Name) { Cause = _wholeCause.GetValueOrDefault(map.Name) };
        var type = snapshots?.GetValueOrDefault(map.Name)?.Type ?? _catalogue.Find(map.Name)?.Type;
        if (map.IsMmapable)
            return new PlanReason(PlanReasonKind.Mmapable, map.Name);
        if (type?.IsPerCpu() == true)
            return new PlanReason(PlanReasonKind.PerCpu, map.Name);
        if (snapshots is null)
            return null;
        if (!Eligibility.TryChooseStrategy(snapshots[map.Name], Limits, out var strategy, out var why))
            return why;
        inlining = strategy;
        return null;
    }

    /// <summary>Why the site gets no hot keys, in the order the checks are reported; null when the hot-key pass may
    /// compare the profile's keys there.</summary>
    private PlanReason? HotKeysReason(SiteFacts site, IReadOnlyDictionary<string, MapSnapshot>? whole, IReadOnlyDictionary<string, MapSnapshot>? hotKeys)
    {
        if (site.Map is not { } map)
            return new PlanReason(PlanReasonKind.MapNotStatic);
        var type = whole?.GetValueOrDefault(map.Name)?.Type ?? hotKeys?.GetValueOrDefault(map.Name)?.Type ?? _catalogue.Find(map.Name)?.Type;
        if (Profile is null)
        {
            // Which sites a profile could help: the structural checks first, then the profile's part.
            if (_writtenElsewhere.Contains(map.Name))
                return WrittenByAnotherProgram(map);
            if (map.IsMmapable)
                return new PlanReason(PlanReasonKind.Mmapable, map.Name);
            if (map.IsPerCpu || type?.IsPerCpu() == true)
                return new PlanReason(PlanReasonKind.PerCpu, map.Name);
            if ((type == BpfMapType.Array || map.DeclaredType == BpfMapType.Array) && !HotIndexPays(map.Name))
                return new PlanReason(PlanReasonKind.ArrayLookupIsCheaper, map.Name);
            if (type is not { } known || !HasComparableKeys(known, _catalogue.Find(map.Name)?.KeySize ?? map.DeclaredKeySize))
                return new PlanReason(PlanReasonKind.MapTypeNoHotKeys, map.Name) { Type = type };
            if (map.Access == MapAccess.MayWrite)
                return WrittenByDataPlane(map);
            return new PlanReason(PlanReasonKind.NoProfile, map.Name);
        }
        if (map.Access != MapAccess.ReadOnly && !RarelyWritten.ContainsKey(map.Name))
            return WrittenByDataPlane(map);
        if (_writtenElsewhere.Contains(map.Name))
            return WrittenByAnotherProgram(map);
        // An array refused for its values was as good as read: the checks below say why it gets no hot keys.
        var asGoodAsRead = _wholeCause.GetValueOrDefault(map.Name) is { Kind: PlanReasonKind.TooManyDistinctValues };
        if (!HasWholeSnapshot(map.Name) && !HasHotKeySnapshot(map.Name) && !asGoodAsRead)
            return _hotCause.GetValueOrDefault(map.Name) is { Kind: PlanReasonKind.MapTypeNoHotKeys } typeCause
                ? typeCause
                : new PlanReason(PlanReasonKind.NotSnapshotted, map.Name) { Cause = _hotCause.GetValueOrDefault(map.Name) };
        if (map.IsMmapable)
            return new PlanReason(PlanReasonKind.Mmapable, map.Name);
        if (type?.IsPerCpu() == true)
            return new PlanReason(PlanReasonKind.PerCpu, map.Name);
        if (type == BpfMapType.Array && !HotIndexPays(map.Name))
            return new PlanReason(PlanReasonKind.ArrayLookupIsCheaper, map.Name);
        var keySize = whole?.GetValueOrDefault(map.Name)?.KeySize ?? hotKeys?.GetValueOrDefault(map.Name)?.KeySize ?? _catalogue.Find(map.Name)?.KeySize ?? 0;
        if (type is { } t && !HasComparableKeys(t, keySize))
            return new PlanReason(PlanReasonKind.MapTypeNoHotKeys, map.Name) { Type = t };
        if (Profile.Site(site.Index) is not { Keys.Count: > 0 })
            return new PlanReason(PlanReasonKind.NoProfiledKeys, map.Name);
        return null;
    }

    private bool HasWholeSnapshot(string map) => Requirements.Any(r => r.Map == map && r.Whole);
    private bool HasHotKeySnapshot(string map) => Requirements.Any(r => r.Map == map && !r.Whole);

    /// <summary>A profile of a site's keys is worth recording when hot keys could be compared there and its map is not
    /// certain to be inlined whole (a hash map or array declared no larger than the cost model inlines). A constant key is
    /// always the same key: there is nothing to learn.</summary>
    private bool NeedsKeyProfile(SiteFacts site, PlanReason? wholeReason, PlanReason? hotReason)
    {
        if (Profile is not null || site.ConstantKey || site.Map is not { Defined: true, IsProgramArray: false } map
            || hotReason?.Kind != PlanReasonKind.NoProfile)
            return false;
        var certainlyWhole = wholeReason is null && map.DeclaredType is BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array
                                                 && map.DeclaredMaxEntries <= Limits.MaxExactEntries;
        return !certainlyWhole;
    }

    // ---- Maps the data plane writes rarely ----------------------------------------------------------------------------

    /// <summary>
    /// Maps the data plane writes, but rarely: every write is an update or delete helper call on that map alone (no store
    /// through a looked-up pointer, no other writing helper), and by the profile's branch counts those calls together run
    /// for at most <see cref="InliningLimits.MaxDataPlaneWriteRate"/> of the packets, and the build does not leave it
    /// (<see cref="InliningLimits.WrittenMapsLeft"/>). Returned with their write sites, and the reasons the others are not.
    /// </summary>
    private static (Dictionary<string, IReadOnlyList<HelperCallSite>>, List<PlanReason>) FindRarelyWritten(ProgramAnalysis analysis,
        Profile profile, InliningLimits limits)
    {
        var result = new Dictionary<string, IReadOnlyList<HelperCallSite>>();
        var reasons = new List<PlanReason>();
        if (profile.Packets == 0)
            return (result, reasons);
        var frequencies = new BlockFrequencies(profile, new ControlFlowGraphs().Of);
        var helperSites = analysis.HelperCalls.ToList();
        foreach (var map in analysis.MapAccess.Where(a => a.Access == MapAccess.Written).Select(a => a.Map.Name))
        {
            var sites = helperSites.Where(s => s.Maps.Any(m => m.Name == map)).ToList();
            if (sites.Any(s => s.Maps.Count != 1 || s.InnerMapOf is not null
                               || !(s.IsLookup ? s.ResultAccess == MapAccess.ReadOnly : s.Helper.Id is BpfHelpers.MapUpdateElem or BpfHelpers.MapDeleteElem)))
                continue;
            if (limits.WrittenMapsLeft.Contains(map))
            {
                reasons.Add(new PlanReason(PlanReasonKind.LeftToFullBuild, map));
                continue;
            }
            var writes = sites.Where(s => !s.IsLookup).ToList();
            var runs = writes.Select(w => frequencies.Of(w.Call.Block)).ToList();
            if (writes.Count == 0 || runs.Any(r => r is null))
            {
                reasons.Add(new PlanReason(PlanReasonKind.WriteRateUnknown, map));
                continue;
            }
            var rate = runs.Sum(r => r!.Value) / profile.Packets;
            if (rate > limits.MaxDataPlaneWriteRate)
            {
                reasons.Add(new PlanReason(PlanReasonKind.WriteRateTooHigh, map) { Share = rate, LimitShare = limits.MaxDataPlaneWriteRate });
                continue;
            }
            result[map] = writes;
        }
        return (result, reasons);
    }
}
