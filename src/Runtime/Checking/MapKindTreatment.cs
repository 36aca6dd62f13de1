using Kecleon.Bpf;

namespace Kecleon.Runtime.Checking;

/// <summary>How the differential check gives each variant its own copy of a live map.</summary>
public enum CheckCopy
{
    /// <summary>A map of its own with the live entries (values as the syscalls return them).</summary>
    Entries,
    /// <summary>A map of its own whose values are programs: the live ids become fds of the same programs.</summary>
    ProgramsById,
    /// <summary>A map of its own whose values are maps: each inner map is copied (<see cref="Entries"/> and the rest of
    /// this table apply to it) and the copy's fd inserted. User space reads inner maps back as ids, not fds.</summary>
    InnerMapsCopied,
    /// <summary>A new, empty map of the live map's definition: the live contents cannot be read without taking them
    /// from the data plane (a queue), or are records and sockets the program only sends to (a ring buffer).</summary>
    Empty,
    /// <summary>The live map itself, shared by both variants: the program cannot write it, and a test run never
    /// delivers a redirect (there are no live frames), so nothing reaches the devices or sockets it holds.</summary>
    SharedLive,
}

/// <summary>How the differential check compares a map's two copies.</summary>
public enum CheckComparison
{
    /// <summary>Key by key; per-CPU values as their sum over CPUs.</summary>
    Entries,
    /// <summary>Inner map by inner map: the contents of each key's inner map (their ids differ by construction).</summary>
    InnerMaps,
    /// <summary>Slot by slot, by the program each holds (its type and name): two variants' own stages have other ids, and
    /// another build of a stage another tag.</summary>
    Programs,
    /// <summary>Value by value in the order the map gives them up, after the last packet (reading a queue takes its
    /// values, so both copies are emptied at once).</summary>
    InOrder,
    /// <summary>Not compared (a shared map is the same on both sides; an output channel holds no state).</summary>
    None,
}

/// <summary>
/// What Kecleon does with one kind of map, in one place: whether it may be specialized on (snapshot), how the check's
/// copies are made and compared, and whether a guard watches it. Kinds not in the table are refused by name
/// (<see cref="UnsupportedMapKindException"/>) wherever a copy is needed. docs/swap.md has the table in words.
/// </summary>
/// <param name="Snapshot">What specialization reads: only the kinds the planner inlines are snapshotted (and guarded);
/// the others stay lookups in the specialized program.</param>
public sealed record MapKindTreatment(BpfMapType Type, bool Snapshot, CheckCopy Copy, CheckComparison Compare)
{
    /// <summary>Guarded (written maps make the specialized program fall back) exactly when specialized on.</summary>
    public bool Guarded => Snapshot;

    private static readonly Dictionary<BpfMapType, MapKindTreatment> Table = new MapKindTreatment[]
    {
        new(BpfMapType.Hash, true, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.LruHash, true, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.Array, true, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.LpmTrie, true, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.PerCpuHash, false, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.PerCpuArray, false, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.LruPerCpuHash, false, CheckCopy.Entries, CheckComparison.Entries),
        new(BpfMapType.ProgArray, false, CheckCopy.ProgramsById, CheckComparison.Programs),
        new(BpfMapType.ArrayOfMaps, false, CheckCopy.InnerMapsCopied, CheckComparison.InnerMaps),
        new(BpfMapType.HashOfMaps, false, CheckCopy.InnerMapsCopied, CheckComparison.InnerMaps),
        new(BpfMapType.Queue, false, CheckCopy.Empty, CheckComparison.InOrder),
        new(BpfMapType.Stack, false, CheckCopy.Empty, CheckComparison.InOrder),
        new(BpfMapType.BloomFilter, false, CheckCopy.Empty, CheckComparison.None),
        new(BpfMapType.RingBuf, false, CheckCopy.Empty, CheckComparison.None),
        new(BpfMapType.PerfEventArray, false, CheckCopy.Empty, CheckComparison.None),
        new(BpfMapType.DevMap, false, CheckCopy.SharedLive, CheckComparison.None),
        new(BpfMapType.DevMapHash, false, CheckCopy.SharedLive, CheckComparison.None),
        new(BpfMapType.CpuMap, false, CheckCopy.SharedLive, CheckComparison.None),
        new(BpfMapType.XskMap, false, CheckCopy.SharedLive, CheckComparison.None),
    }.ToDictionary(t => t.Type);

    /// <summary>Every kind with a treatment.</summary>
    public static IEnumerable<MapKindTreatment> All => Table.Values;

    public static MapKindTreatment? Find(BpfMapType type) => Table.GetValueOrDefault(type);

    /// <summary>The treatment of <paramref name="map"/>'s kind; a kind without one is refused by name.</summary>
    public static MapKindTreatment Of(BpfMapAccess map) => Find(map.Type) ?? throw new UnsupportedMapKindException(
        $"map {map.Name} is a {Describe(map.Type)}: Kecleon has no way to give the check its own copy of this kind of map " +
        $"(it knows {string.Join(", ", Table.Keys.Select(Describe))})");

    /// <summary>A map type as the kernel headers name it (<c>BPF_MAP_TYPE_DEVMAP_HASH</c> is <c>devmap_hash</c>).</summary>
    public static string Describe(BpfMapType type) => type switch
    {
        BpfMapType.LruHash => "lru_hash", BpfMapType.PerCpuHash => "percpu_hash", BpfMapType.PerCpuArray => "percpu_array",
        BpfMapType.LruPerCpuHash => "lru_percpu_hash", BpfMapType.LpmTrie => "lpm_trie", BpfMapType.ProgArray => "prog_array",
        BpfMapType.ArrayOfMaps => "array_of_maps", BpfMapType.HashOfMaps => "hash_of_maps", BpfMapType.DevMap => "devmap",
        BpfMapType.DevMapHash => "devmap_hash", BpfMapType.CpuMap => "cpumap", BpfMapType.XskMap => "xskmap",
        BpfMapType.SockMap => "sockmap", BpfMapType.SockHash => "sockhash", BpfMapType.RingBuf => "ringbuf",
        BpfMapType.UserRingBuf => "user_ringbuf", BpfMapType.PerfEventArray => "perf_event_array", BpfMapType.BloomFilter => "bloom_filter",
        BpfMapType.StackTrace => "stack_trace", BpfMapType.StructOps => "struct_ops", BpfMapType.CgroupArray => "cgroup_array",
        BpfMapType.ReuseportSockArray => "reuseport_sockarray", BpfMapType.SkStorage => "sk_storage",
        BpfMapType.InodeStorage => "inode_storage", BpfMapType.TaskStorage => "task_storage",
        BpfMapType.CgroupStorage or BpfMapType.CgroupStorage2 => "cgroup_storage", BpfMapType.PerCpuCgroupStorage => "percpu_cgroup_storage",
        _ => type.ToString().ToLowerInvariant(),
    };
}

/// <summary>A map of a kind the check cannot copy (a sockmap, say): the program is not optimized.</summary>
public sealed class UnsupportedMapKindException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.BadInput;
}
