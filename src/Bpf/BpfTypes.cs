namespace Kecleon.Bpf;

/// <summary><c>enum bpf_map_type</c>.</summary>
public enum BpfMapType
{
    Unspec = 0, Hash = 1, Array = 2, ProgArray = 3, PerfEventArray = 4, PerCpuHash = 5, PerCpuArray = 6, StackTrace = 7,
    CgroupArray = 8, LruHash = 9, LruPerCpuHash = 10, LpmTrie = 11, ArrayOfMaps = 12, HashOfMaps = 13, DevMap = 14,
    SockMap = 15, CpuMap = 16, XskMap = 17, SockHash = 18, CgroupStorage = 19, ReuseportSockArray = 20,
    PerCpuCgroupStorage = 21, Queue = 22, Stack = 23, SkStorage = 24, DevMapHash = 25, StructOps = 26, RingBuf = 27,
    InodeStorage = 28, TaskStorage = 29, BloomFilter = 30, UserRingBuf = 31, CgroupStorage2 = 32,
}

/// <summary><c>enum bpf_prog_type</c>.</summary>
public enum BpfProgramType
{
    Unspec = 0, SocketFilter = 1, Kprobe = 2, SchedCls = 3, SchedAct = 4, Tracepoint = 5, Xdp = 6, PerfEvent = 7,
    CgroupSkb = 8, CgroupSock = 9, LwtIn = 10, LwtOut = 11, LwtXmit = 12, SockOps = 13, SkSkb = 14, CgroupDevice = 15,
    SkMsg = 16, RawTracepoint = 17, CgroupSockAddr = 18, LwtSeg6Local = 19, LircMode2 = 20, SkReuseport = 21,
    FlowDissector = 22, CgroupSysctl = 23, RawTracepointWritable = 24, CgroupSockopt = 25, Tracing = 26, StructOps = 27,
    Ext = 28, Lsm = 29, SkLookup = 30, Syscall = 31,
}

/// <summary>Map creation flags (<c>BPF_F_*</c>) that matter to Kecleon.</summary>
[Flags]
public enum BpfMapFlags : uint
{
    None = 0,
    NoPrealloc = 1 << 0,
    NoCommonLru = 1 << 1,
    NumaNode = 1 << 2,
    ReadOnly = 1 << 3,
    WriteOnly = 1 << 4,
    ZeroSeed = 1 << 6,
    ReadOnlyProgram = 1 << 7,
    WriteOnlyProgram = 1 << 8,
    Clone = 1 << 9,
    Mmapable = 1 << 10,
    PreserveElements = 1 << 11,
    InnerMap = 1 << 12,
}

/// <summary>XDP verdicts.</summary>
public enum XdpAction : uint { Aborted = 0, Drop = 1, Pass = 2, Tx = 3, Redirect = 4 }

/// <summary><c>BPF_ANY</c>/<c>BPF_NOEXIST</c>/<c>BPF_EXIST</c> for map updates.</summary>
public enum MapUpdateFlags : ulong { Any = 0, NoExist = 1, Exist = 2 }

public static class BpfTypeExtensions
{
    public static bool IsPerCpu(this BpfMapType type) =>
        type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray or BpfMapType.LruPerCpuHash or BpfMapType.PerCpuCgroupStorage;

    public static bool IsArrayLike(this BpfMapType type) =>
        type is BpfMapType.Array or BpfMapType.PerCpuArray or BpfMapType.ProgArray or BpfMapType.ArrayOfMaps;

    public static bool IsMapInMap(this BpfMapType type) => type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps;

    /// <summary>How a verdict reads for people: XDP actions by name, TC by its code.</summary>
    public static string DescribeVerdict(this BpfProgramType type, uint value) => type switch
    {
        BpfProgramType.Xdp when value <= 4 => $"XDP_{((XdpAction)value).ToString().ToUpperInvariant()}",
        BpfProgramType.SchedCls or BpfProgramType.SchedAct => value switch
        {
            0 => "TC_ACT_OK", 1 => "TC_ACT_RECLASSIFY", 2 => "TC_ACT_SHOT", 3 => "TC_ACT_PIPE", 4 => "TC_ACT_STOLEN",
            7 => "TC_ACT_REDIRECT", uint.MaxValue => "TC_ACT_UNSPEC", _ => value.ToString(),
        },
        _ => value.ToString(),
    };
}
