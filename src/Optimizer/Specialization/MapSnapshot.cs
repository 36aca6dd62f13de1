using Kecleon.Bpf;

namespace Kecleon.Optimizer.Specialization;

/// <summary>
/// A map's contents as read at one moment, with the guard that says whether they are still current: the specialized
/// program is valid only while <c>guards[GuardSlot] == GuardVersion</c>. The version is read before the contents, so a
/// write racing the read makes the program fall back rather than run stale.
/// </summary>
public sealed record MapSnapshot(
    string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries, IReadOnlyList<(byte[] Key, byte[] Value)> Entries,
    int GuardSlot, ulong GuardVersion);

/// <summary>The cost model's limits: how much may become code.</summary>
public sealed record InliningLimits
{
    public static readonly InliningLimits Default = new();

    /// <summary>Entries of a hash or array map inlined as a switch or compare chain; past this a kernel lookup is cheaper
    /// than the code (and the verifier's work grows with every case).</summary>
    public int MaxExactEntries { get; init; } = 256;
    /// <summary>Product over the inlined sites of their distinct constant answers (a miss included): a bound on the paths
    /// the folded constants can add for the verifier.</summary>
    public int MaxAnswerCombinations { get; init; } = 64;
    /// <summary>Distinct values of an array map folded as constants into the code after the lookup.</summary>
    public int MaxDistinctArrayValues { get; init; } = 2;
    /// <summary>Disjoint address ranges of an LPM table searched in code (about log2(n) compares or halvings).</summary>
    public int MaxLpmRanges { get; init; } = 65536;
    /// <summary>Up to this many ranges the search is emitted as a tree of compares with constant leaves (the values fold
    /// into their uses); past it, as a search over constant tables in <c>.rodata</c>: about 10 instructions per
    /// halving, so code size, LLVM's time and the verifier's work no longer grow with the table.</summary>
    public int MaxUnrolledLpmRanges { get; init; } = 64;
    /// <summary>Bytes of .rodata one table search may take. All of .rodata is one array map value, and the kernel caps a
    /// value at KMALLOC_MAX_SIZE (4 MiB on x86-64).</summary>
    public long MaxTableBytes { get; init; } = DefaultMaxTableBytes;
    public const long DefaultMaxTableBytes = 1 << 20;
    /// <summary>A table search with at most this many halvings (after the bucket index) branches at each: fastest when
    /// the branches predict, and the verifier walks at most 2^n paths. Longer searches are branch-free.</summary>
    public int MaxBranchingSearchSteps { get; init; } = 6;
    /// <summary>The widest bucket index of a table search (<see cref="RangeSearchPlan.Choose"/>): 2^n buckets of 2 bytes.</summary>
    public int MaxBucketBits { get; init; } = RangeSearchPlan.MaxBucketBits;
    /// <summary>64-bit words of a value carried out of an inlined lookup.</summary>
    public int MaxValueWords { get; init; } = 16;
    /// <summary>Hot keys wider than 8 bytes compared in front of a lookup the whole-map inliner left alone (each costs a
    /// full-key compare: the balancer's and the firewall's flows measured no better with 64 than with 16).</summary>
    public int MaxHotKeys { get; init; } = 16;
    /// <summary>Hot keys of up to 8 bytes: cases of one switch on the key, a tree of compares (the switch's fdb, a MAC and
    /// a VLAN, measured 1.28–1.32x over the maps alone with 64 against 1.21x with 16).</summary>
    public int MaxHotKeysOneWord { get; init; } = 64;
    /// <summary>From this many hot keys on, a site's hot keys are a hash table in .rodata (one predictable branch, values
    /// loaded) rather than a tree of compares (values as constants).</summary>
    public int MinHashedHotKeys { get; init; } = 8;
    /// <summary>Hot keys in a hash table at most (a profile holds 64 per site).</summary>
    public int MaxHashedHotKeys { get; init; } = 64;
    /// <summary>A further key goes into a hash table when it covers at least this share of the site's lookups.</summary>
    public double MinHashedHotKeyGain { get; init; } = 0.0005;
    /// <summary>The most hot keys a site with keys of <paramref name="keySize"/> bytes can get, tree or hash table.</summary>
    public int MostHotKeys(int keySize) => Math.Max(MaxHashedHotKeys, keySize <= 8 ? MaxHotKeysOneWord : MaxHotKeys);
    /// <summary>A further hot key is compared only when it covers at least this share of the site's lookups.</summary>
    public double MinHotKeyGain { get; init; } = 0.01;
    /// <summary>The same for keys of up to 8 bytes.</summary>
    public double MinHotKeyGainOneWord { get; init; } = 0.002;
    /// <summary>A site gets hot keys only if they cover at least this share of its lookups: below it, the compares the
    /// misses pay eat what the hits save (the switch's none-locality traffic measured 0.97x at 43 %).</summary>
    public double MinHotCoverage { get; init; } = 0.5;
    /// <summary>A map the data plane writes is specialized only if its write sites run at most this often per packet
    /// (from the profile's branch counts): each such write makes the program fall back until the next cycle.</summary>
    public double MaxDataPlaneWriteRate { get; init; } = 0.01;
    /// <summary>Maps the data plane writes that get no hot keys in this build, however rarely written: a reaction's build
    /// leaves those written since the last full build to the next one (<c>OptimizeOptions.WrittenSinceFullBuild</c>).</summary>
    public IReadOnlySet<string> WrittenMapsLeft { get; init; } = new HashSet<string>();
}

/// <summary>What to specialize on: the snapshots, the guard layout and the limits.</summary>
public sealed record SpecializationRequest(IReadOnlyDictionary<string, MapSnapshot> Snapshots)
{
    public GuardLayout Guards { get; init; } = GuardLayout.Default;
    public InliningLimits Limits { get; init; } = InliningLimits.Default;
    /// <summary>Maps some other loaded program writes (the runtime finds them through program map ids).</summary>
    public IReadOnlySet<string> WrittenElsewhere { get; init; } = new HashSet<string>();
    /// <summary>Which fallback slot (the original program's place in the PROG_ARRAY) each program entry uses.</summary>
    public IReadOnlyDictionary<string, int> FallbackIndex { get; init; } = new Dictionary<string, int>();
    /// <summary>What the traffic did (hot keys per lookup site, branch counts); null: no profile-guided passes.</summary>
    public Kecleon.Instrumentation.Profiles.Profile? Profile { get; init; }
    /// <summary>Snapshots of only the profile's hot keys (one lookup each) of maps too large to read whole: for the hot-key
    /// pass alone, since to the whole-map inliner a key missing from them would look like a miss.</summary>
    public IReadOnlyDictionary<string, MapSnapshot> HotKeySnapshots { get; init; } = new Dictionary<string, MapSnapshot>();

    /// <summary>The PROG_ARRAYs a fused chain's code depends on (<see cref="Passes.FusionOutcome.ProgramArrays"/>): each
    /// has its slot → program id snapshot in <see cref="Snapshots"/> and is guarded like a specialized map, so any update
    /// of it sends packets to the original entry, whose tail calls are real.</summary>
    public IReadOnlySet<string> FusedProgramArrays { get; init; } = new HashSet<string>();

    /// <summary>Range tables (an LPM table's, a key table's) live in a map Kecleon owns, double-buffered, so that a control-plane write can be applied
    /// by rewriting the inactive buffer and flipping (<see cref="InPlaceLayout"/>) instead of recompiling.</summary>
    public bool InPlaceData { get; init; }

    /// <summary>With <see cref="InPlaceData"/>, key tables' searches are kept in place too (their maps' writes then flipped,
    /// not rebuilt); false: only LPM tables are, and key tables are .rodata.</summary>
    public bool InPlaceKeyTables { get; init; } = true;

    /// <summary>The plan the passes execute, refined on these snapshots; null: planned here from the snapshots given.</summary>
    public Kecleon.Optimizer.Planning.SpecializationPlan? Plan { get; init; }

    /// <summary>The snapshot a specialization of <paramref name="map"/> used: the whole map's, else its hot keys'.</summary>
    public MapSnapshot SnapshotOf(string map) => Snapshots.TryGetValue(map, out var whole) ? whole : HotKeySnapshots[map];
}
