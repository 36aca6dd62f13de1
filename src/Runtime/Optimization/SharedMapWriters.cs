using System.Buffers.Binary;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Runtime.Optimization;

/// <summary>
/// The original's maps that another loaded program may write, and which programs those are. A program outside Kecleon
/// is not analysed from source: what the kernel says about it has to do. It uses a map if the map is among its map ids,
/// or inside a map of maps among them. It is taken to write every map it uses unless its verified instructions show that
/// it cannot write map memory at all (<see cref="MayWriteMaps"/>): such a program reads the map and does not block
/// specializing on it. Kecleon's own programs are never other writers (<see cref="IsKecleonVariant"/>), nor are the
/// original's siblings, the other programs of its own object (<see cref="IsSibling"/>): the analysis covers every program
/// of the object, so what they write is already in it, with the site.
/// </summary>
/// <remarks>The guard hook bumps a guarded map's version when a program using it is loaded, so a program loaded after
/// this scan makes the specialized program fall back at once and the next cycle scans again. A writer that was found
/// keeps its maps out of the specialization while it is loaded; <see cref="AnyUnloaded"/> tells the caller when it is
/// worth specializing again.</remarks>
public sealed record SharedMapWriters(IReadOnlySet<string> Maps, IReadOnlyDictionary<uint, IReadOnlyList<string>> Programs)
{
    public static readonly SharedMapWriters None = new(new HashSet<string>(), new Dictionary<uint, IReadOnlyList<string>>());

    /// <summary>The kernel's name of each of <see cref="Programs"/>.</summary>
    public IReadOnlyDictionary<uint, string> Names { get; init; } = new Dictionary<uint, string>();

    /// <summary>Per map, the programs that may write it, by id and name, in id order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(uint Id, string Name)>> WritersByMap =>
        Maps.ToDictionary(map => map, map => (IReadOnlyList<(uint, string)>)Programs.Where(p => p.Value.Contains(map)).OrderBy(p => p.Key)
            .Select(p => (p.Key, Names.GetValueOrDefault(p.Key, ""))).ToList(), StringComparer.Ordinal);

    /// <summary>Whether any of <see cref="Programs"/> has been unloaded since the scan.</summary>
    public bool AnyUnloaded()
    {
        foreach (var id in Programs.Keys)
        {
            try
            {
                using var _ = BpfFd.OpenProgramById(id);
            }
            catch (BpfException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Scans every loaded program but the original, <paramref name="trusted"/> (other variants of the same
    /// program, whose writes the analysis of this program already describes) and Kecleon's own variants of any program
    /// (<see cref="IsKecleonVariant"/>).</summary>
    public static SharedMapWriters Find(LoadedVariant original, IReadOnlySet<uint> trusted)
    {
        var self = original.Program.Info();
        var ours = original.Object.Maps.Where(m => !m.IsInternal).ToDictionary(m => m.Info().Id, m => m.Name);
        var maps = new HashSet<string>();
        var programs = new Dictionary<uint, IReadOnlyList<string>>();
        var names = new Dictionary<uint, string>();
        var siblingTags = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var id in BpfProgramInfo.LoadedIds())
        {
            if (id == self.Id || trusted.Contains(id))
                continue;
            try
            {
                using var fd = BpfFd.OpenProgramById(id);
                var info = BpfProgramInfo.FromFd(fd.Value);
                var used = info.MapIds.SelectMany(m => Reachable(m, ours)).Distinct().ToList();
                if (used.Count == 0 || IsKecleonVariant(info, self.Name) || !MayWriteMaps(BpfProgramInfo.XlatedInstructionsOf(fd.Value))
                    || IsSibling(original, info, siblingTags))
                    continue;
                programs[id] = used;
                names[id] = info.Name;
                maps.UnionWith(used);
            }
            catch (BpfException)
            {
                // Unloaded meanwhile.
            }
        }
        return new SharedMapWriters(maps, programs) { Names = names };
    }

    /// <summary>The prefix of every map Kecleon's own BPF code declares (the guard table, the fallback PROG_ARRAY, the
    /// profile prelude's maps), as the kernel names them.</summary>
    internal const string KecleonMapPrefix = "kecleon_";

    /// <summary>
    /// True for a program Kecleon built from the program named <paramref name="originalName"/>: a specialized program (it
    /// uses the guard table and its fallback PROG_ARRAY, or a check's copies of them), an instrumented copy (the profile
    /// prelude's maps), each loaded under the original's name. Each is the analysed program with code added, so it writes
    /// only what that program's analysis describes, whichever process loaded it and whether or not it still runs (a
    /// replaced program the kernel has not freed yet, a check's copy). A variant Kecleon built from another program that
    /// shares the maps has another name and stays a writer. The original's own copies (stand-ins, a check's reference)
    /// carry no such map: they have the original's kernel tag instead (<see cref="Deployment.LiveOptimization.OwnPrograms"/>).
    /// </summary>
    internal static bool IsKecleonVariant(BpfProgramInfo info, string originalName)
    {
        if (info.Name != originalName)
            return false;
        foreach (var id in info.MapIds)
        {
            try
            {
                using var map = BpfLoadedMap.OpenById(id);
                if (map.Name.StartsWith(KecleonMapPrefix, StringComparison.Ordinal))
                    return true;
            }
            catch (BpfException)
            {
                // freed meanwhile
            }
        }
        return false;
    }

    /// <summary>
    /// True for another program of the original's own object, as loaded: one of the object's programs by its kernel name,
    /// proved by its kernel tag (the object's program loaded on the original's maps, once per name and scan, has the
    /// same one: the same instructions). A program of another object with the same name is not one.
    /// </summary>
    private static bool IsSibling(LoadedVariant original, BpfProgramInfo info, Dictionary<string, string?> tags)
    {
        var name = original.Object.Programs.Select(p => p.Name)
            .FirstOrDefault(n => n != original.Program.Name && LoadedVariant.KernelName(n) == info.Name);
        if (name is null)
            return false;
        if (!tags.TryGetValue(name, out var tag))
        {
            try
            {
                using var sibling = original.LoadSibling(name);
                tag = sibling.Program.Info().Tag;
            }
            catch (KecleonException)
            {
                tag = null; // it does not load here: not provably the same program
            }
            tags[name] = tag;
        }
        return tag is not null && tag == info.Tag;
    }

    /// <summary>The names of our maps a program reaches through its map <paramref name="mapId"/>: the map itself, or the
    /// inner maps of a map of maps.</summary>
    private static IEnumerable<string> Reachable(uint mapId, IReadOnlyDictionary<uint, string> ours)
    {
        if (ours.TryGetValue(mapId, out var name))
            return [name];
        using var map = BpfLoadedMap.OpenById(mapId);
        if (!map.Type.IsMapInMap())
            return [];
        // Looked up from user space, a map of maps answers with the inner map's id.
        return map.Entries().Select(e => BinaryPrimitives.ReadUInt32LittleEndian(e.Value))
            .Where(ours.ContainsKey).Select(inner => ours[inner]).ToList();
    }

    /// <summary>
    /// False only for a program that provably cannot change any map's contents: every store it makes goes to its own
    /// stack (through r10), and every function it calls is one that writes no memory a map owns (lookups, the clock,
    /// redirects, tail calls, its own subprograms). Anything else (a store through any other pointer, a packet rewrite
    /// included; an update or delete helper; a kfunc; a helper we do not know) counts as writing every map it uses.
    /// </summary>
    internal static bool MayWriteMaps(ReadOnlySpan<byte> xlated)
    {
        if (xlated.IsEmpty)
            return true; // the kernel showed nothing
        for (var i = 0; i + 8 <= xlated.Length; i += 8)
        {
            var code = xlated[i];
            var dst = xlated[i + 1] & 0x0f;
            var src = xlated[i + 1] >> 4;
            var imm = BinaryPrimitives.ReadInt32LittleEndian(xlated[(i + 4)..]);
            switch (code & 0x07)
            {
                case ClassSt or ClassStx when dst != FramePointer:
                    return true;
                case ClassJmp when (code & 0xf0) == OpCall:
                    if (src == PseudoCall)
                        break; // a subprogram of the same program: its instructions are scanned here too
                    if (src != 0 || !KnownReadOnlyCall(imm))
                        return true;
                    break;
                case ClassLd when code == LdImm64:
                    i += 8; // the second half of the 16-byte instruction carries no opcode
                    break;
            }
        }
        return false;
    }

    private const int ClassLd = 0x00, ClassSt = 0x02, ClassStx = 0x03, ClassJmp = 0x05;
    private const int OpCall = 0x80, LdImm64 = 0x18, PseudoCall = 1, FramePointer = 10;
    private const int TailCallHelper = 12;

    private static bool KnownReadOnlyCall(int imm) => imm == TailCallHelper || KernelSymbols.CallTarget(imm) is not null;

    /// <summary>Whether the kernel function <paramref name="name"/> writes no memory a map owns.</summary>
    internal static bool IsReadOnlyHelper(string name) =>
        (name.Contains("lookup_elem", StringComparison.Ordinal) && !name.Contains("delete", StringComparison.Ordinal))
        || ReadOnlyHelpers.Contains(name) || name.EndsWith("_map_redirect", StringComparison.Ordinal);

    /// <summary>Helpers (by kernel symbol) that write no memory a map owns.</summary>
    private static readonly HashSet<string> ReadOnlyHelpers =
    [
        "bpf_ktime_get_ns", "bpf_ktime_get_boot_ns", "bpf_ktime_get_coarse_ns", "bpf_ktime_get_tai_ns", "bpf_jiffies64",
        "bpf_get_smp_processor_id", "bpf_get_numa_node_id", "bpf_user_rnd_u32", "bpf_get_current_pid_tgid",
        "bpf_get_current_uid_gid", "bpf_trace_printk", "bpf_xdp_adjust_head", "bpf_xdp_adjust_tail", "bpf_xdp_adjust_meta",
        "bpf_xdp_redirect", "bpf_xdp_redirect_map", "bpf_redirect", "bpf_csum_diff", "bpf_get_hash_recalc",
    ];
}

/// <summary>The read-only helpers among the kernel's text symbols (<see cref="SharedMapWriters.IsReadOnlyHelper"/>), by
/// address, read once from <c>/proc/kallsyms</c>, to name the call targets in a program's verified instructions (each an
/// offset from <c>__bpf_call_base</c>). Only those are kept: the table is some 120,000 symbols.</summary>
internal static class KernelSymbols
{
    private static readonly Lazy<(ulong Base, Dictionary<ulong, string> Names)?> Table = new(Read);

    /// <summary>The read-only helper a call instruction with this imm calls, or null when it calls another function, an
    /// unknown one, or when the kernel hides addresses (then every call is unknown).</summary>
    public static string? CallTarget(int imm)
    {
        if (Table.Value is not { } table)
            return null;
        return table.Names.GetValueOrDefault(unchecked(table.Base + (ulong)(long)imm));
    }

    private static (ulong, Dictionary<ulong, string>)? Read()
    {
        var names = new Dictionary<ulong, string>();
        var named = new HashSet<ulong>(); // an address takes its first name, kept or not
        ulong callBase = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/kallsyms"))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[1] is not ("T" or "t") || !ulong.TryParse(parts[0], System.Globalization.NumberStyles.HexNumber, null, out var address) || address == 0)
                    continue;
                if (named.Add(address) && SharedMapWriters.IsReadOnlyHelper(parts[2]))
                    names.Add(address, parts[2]);
                if (parts[2] == "__bpf_call_base")
                    callBase = address;
            }
        }
        catch (IOException)
        {
            return null;
        }
        return callBase == 0 ? null : (callBase, names);
    }
}
