using Kecleon.Bpf;
using Kecleon.Llvm;

namespace Kecleon.Maps;

/// <summary>Where a map comes from in the source.</summary>
public enum MapOrigin
{
    /// <summary>A BTF-defined map: a global in <c>SEC(".maps")</c>.</summary>
    Defined,
    /// <summary>Global variables, which libbpf keeps in a one-entry array per section (<c>.rodata</c>, <c>.data</c>,
    /// <c>.bss</c>, <c>.kconfig</c>).</summary>
    GlobalData,
}

/// <summary>A map the program references, as its source defines it and as libbpf sees the compiled object.</summary>
public sealed class MapDefinition
{
    internal MapDefinition(string name, MapOrigin origin, IReadOnlyList<LlvmGlobal> globals)
    {
        Name = name;
        Origin = origin;
        Globals = globals;
    }

    /// <summary>The map's name as libbpf knows it (the variable's name; for global data e.g. <c>router.bss</c>).</summary>
    public string Name { get; }
    public MapOrigin Origin { get; }
    /// <summary>The IR globals behind the map: the <c>.maps</c> variable, or every variable in the data section.</summary>
    public IReadOnlyList<LlvmGlobal> Globals { get; }
    /// <summary>The section of a global-data map (<c>.rodata</c>, ...); null for defined maps.</summary>
    public string? Section { get; internal init; }
    /// <summary>The type; null when libbpf's view of the object was not available.</summary>
    public BpfMapType? Type { get; internal init; }
    public int KeySize { get; internal init; }
    public int ValueSize { get; internal init; }
    public int MaxEntries { get; internal init; }
    public BpfMapFlags Flags { get; internal init; }
    /// <summary>For map-in-map: the maps the definition places in it (<c>.values = { &amp;inner }</c>).</summary>
    public IReadOnlyList<string> InitialInnerMaps { get; internal init; } = [];

    public string TypeName => Type is { } type ? MapTypeNames.Of(type) : "unknown";
    public bool IsPerCpu => Type?.IsPerCpu() ?? false;
    public bool IsMapInMap => Type?.IsMapInMap() ?? false;
    public bool IsProgramArray => Type == BpfMapType.ProgArray;
    /// <summary>User space can map the values and write them without a syscall (<c>BPF_F_MMAPABLE</c>).</summary>
    public bool IsMmapable => Flags.HasFlag(BpfMapFlags.Mmapable);
    /// <summary><c>BPF_F_RDONLY_PROG</c>: the verifier refuses every write from a program.</summary>
    public bool IsReadOnlyForPrograms => Flags.HasFlag(BpfMapFlags.ReadOnlyProgram);

    public bool Contains(LlvmGlobal global) => Globals.Contains(global);
    public override string ToString() => Name;
}

/// <summary>The kernel's names for map types (<c>BPF_MAP_TYPE_PERCPU_ARRAY</c> → <c>percpu_array</c>), as bpftool
/// prints them.</summary>
public static class MapTypeNames
{
    public static string Of(BpfMapType type) => type switch
    {
        BpfMapType.PerfEventArray => "perf_event_array",
        BpfMapType.PerCpuHash => "percpu_hash",
        BpfMapType.PerCpuArray => "percpu_array",
        BpfMapType.LruPerCpuHash => "lru_percpu_hash",
        BpfMapType.PerCpuCgroupStorage => "percpu_cgroup_storage",
        BpfMapType.DevMap => "devmap",
        BpfMapType.DevMapHash => "devmap_hash",
        BpfMapType.CpuMap => "cpumap",
        BpfMapType.XskMap => "xskmap",
        BpfMapType.SockMap => "sockmap",
        BpfMapType.SockHash => "sockhash",
        BpfMapType.RingBuf => "ringbuf",
        BpfMapType.UserRingBuf => "user_ringbuf",
        _ => ToSnakeCase(type.ToString()),
    };

    private static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
