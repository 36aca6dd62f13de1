using Kecleon.Bpf;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Deployment;

/// <summary>One variant of a network function loaded into the kernel: baseline, Kecleon-compiled, optimized, ...</summary>
public sealed class LoadedVariant : IDisposable
{
    private LoadedVariant(string name, BpfObject obj, BpfProgram program, byte[] elf)
    {
        Name = name;
        Object = obj;
        Program = program;
        _elf = elf;
    }

    private readonly byte[] _elf;

    public string Name { get; }
    public BpfObject Object { get; }
    public BpfProgram Program { get; }

    /// <summary>The object it was loaded from, as it was given.</summary>
    public byte[] Elf => _elf;

    /// <summary>
    /// Loads <paramref name="elf"/>. With <paramref name="shareMapsWith"/>, every map of the same name is the other
    /// variant's kernel map (how an optimized program runs on the original's live state); otherwise it gets its own maps.
    /// </summary>
    /// <param name="otherMaps">Further maps to share, by name (the guard table's versions, say).</param>
    /// <param name="shapeOwnMaps">Called for each map the variant creates, before it is created (to give it a live map's
    /// definition, say).</param>
    /// <param name="shareGlobalData">Share <paramref name="shareMapsWith"/>'s writable global data too (<c>.data</c>,
    /// <c>.bss</c>: live state, counters say), section by section; the layouts must agree
    /// (<see cref="GlobalDataLayout"/>). Read-only data stays the variant's own: it is part of the program.</param>
    /// <param name="slots">PROG_ARRAY slots to fill with other programs of the object, loaded with it (a chain's stages,
    /// <see cref="INetworkFunctionSample.ProgramSlots"/>); a slot of a shared PROG_ARRAY is left as it is.</param>
    public static LoadedVariant Load(string name, byte[] elf, string? programName, LoadedVariant? shareMapsWith = null,
        IReadOnlyDictionary<string, BpfMapAccess>? otherMaps = null, Action<BpfMap>? shapeOwnMaps = null, bool shareGlobalData = false,
        IReadOnlyList<ProgramSlot>? slots = null)
    {
        var layout = shareGlobalData && shareMapsWith is not null ? GlobalDataLayout.Of(elf) : null;
        var shared = new HashSet<string>(StringComparer.Ordinal);
        var variant = OpenAndLoad(name, elf, programName, map =>
        {
            var existing = map.IsInternal
                ? layout is null ? null : SharedGlobalData(map, layout, shareMapsWith!, name)
                : otherMaps?.GetValueOrDefault(map.Name) ?? shareMapsWith?.Object.FindMap(map.Name);
            if (existing is not null)
                shared.Add(map.Name);
            return existing;
        }, shapeOwnMaps, slots?.Select(s => s.Program).ToList());
        try
        {
            foreach (var slot in slots ?? [])
                if (!shared.Contains(slot.Map))
                    variant.Object.Map(slot.Map).Update(BitConverter.GetBytes(slot.Index), BitConverter.GetBytes((uint)variant.Object.Program(slot.Program).Fd));
        }
        catch
        {
            variant.Dispose();
            throw;
        }
        return variant;
    }

    /// <summary>A bundled sample's object loaded with its own maps as its loader does: the entry program, and the stages a
    /// chain has in its slots (<see cref="INetworkFunctionSample.ProgramSlots"/>).</summary>
    public static LoadedVariant LoadSample(string name, byte[] elf, INetworkFunctionSample sample) =>
        Load(name, elf, sample.ProgramName, slots: sample.ProgramSlots);

    private static BpfMap? SharedGlobalData(BpfMap map, IReadOnlyDictionary<string, string> layout, LoadedVariant other, string name)
    {
        if (GlobalDataSection(map.Name) is not { } section || !GlobalDataLayout.IsWritable(section))
            return null;
        var theirs = other.Object.Maps.FirstOrDefault(m => m.IsInternal && GlobalDataSection(m.Name) == section);
        if (theirs is null)
            return null;
        if (theirs.ValueSize != map.ValueSize || layout.GetValueOrDefault(section) != GlobalDataLayout.Of(other._elf).GetValueOrDefault(section))
            throw new KecleonException(
                $"the {name} program lays out its {section} otherwise than {other.Name} ({map.ValueSize} bytes: " +
                $"{layout.GetValueOrDefault(section) ?? "no variables"}; {theirs.ValueSize} bytes: {GlobalDataLayout.Of(other._elf).GetValueOrDefault(section) ?? "no variables"}), " +
                $"so it cannot run on {other.Name}'s {section}, which holds the live state");
        return theirs;
    }

    /// <summary>
    /// Loads <paramref name="elf"/> on the maps of a program loaded by someone else (<paramref name="liveMaps"/>, by kernel
    /// name: at most 15 characters), global-data maps by section (libbpf names them after the object that loaded them);
    /// the others get maps of their own (maps the program does not reference, which it never touches). How Kecleon gets
    /// an <c>original</c> to optimize for a program it did not load.
    /// </summary>
    public static LoadedVariant LoadOnMaps(string name, byte[] elf, string? programName, IReadOnlyList<BpfLoadedMap> liveMaps) =>
        OpenAndLoad(name, elf, programName, map => map.IsInternal
            ? liveMaps.FirstOrDefault(m => m.Type == map.Type && GlobalDataSection(m.Name) is { } section && section == GlobalDataSection(map.Name))
            : liveMaps.FirstOrDefault(m => m.Name == KernelName(map.Name)));

    /// <summary>The section of a global-data map's name: libbpf prefixes standard sections (<c>.bss</c>) with (part of)
    /// the object's name (<c>router_b.bss</c>) and names others by the section alone (<c>.rodata.str1.1</c>).</summary>
    public static string? GlobalDataSection(string mapName) =>
        mapName.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? mapName[dot..] : null;

    /// <summary>
    /// The same object loaded again on every one of this variant's maps, its global data (<c>.rodata</c> tables, say)
    /// included: the same program at another place in the kernel's JIT memory. Timings differ by a few percent from one
    /// load of an object to the next (code placement), so <c>kecleon bench</c> times several loads of each variant.
    /// </summary>
    public LoadedVariant LoadAgain() => OpenAndLoad(Name, _elf, Program.Name, map => Object.FindMap(map.Name));

    /// <summary>Another program of the same object, loaded on this variant's maps: what that program is when built from
    /// this object (its kernel tag, say).</summary>
    public LoadedVariant LoadSibling(string programName) => OpenAndLoad(Name, _elf, programName, map => Object.FindMap(map.Name));

    /// <summary>Opens <paramref name="elf"/>, gives each map the existing one <paramref name="existing"/> names (null: a
    /// map of its own, shaped by <paramref name="shapeOwn"/>), loads the chosen program alone, or with those
    /// <paramref name="alsoLoad"/> names (the object's other programs may need what only their own loader gives them),
    /// and disposes of the object if any of that fails.</summary>
    private static LoadedVariant OpenAndLoad(string name, byte[] elf, string? programName, Func<BpfMap, BpfMapAccess?> existing,
        Action<BpfMap>? shapeOwn = null, IReadOnlyList<string>? alsoLoad = null)
    {
        var obj = BpfObject.Open(elf, name);
        try
        {
            var program = Execution.PacketRunner.SelectProgram(obj, programName);
            foreach (var other in obj.Programs.Where(p => p != program && alsoLoad?.Contains(p.Name) != true))
                other.Autoload = false;
            foreach (var map in obj.Maps)
                if (existing(map) is { } shared)
                    map.ReuseFd(shared);
                else
                {
                    shapeOwn?.Invoke(map);
                    // In-place specialized data: user space rewrites it through a mapping (InPlaceUpdate).
                    if (map.IsInternal && map.Name == Optimizer.Specialization.InPlaceLayout.Section)
                        map.AddFlags(BpfMapFlags.Mmapable);
                }
            obj.Load();
            return new LoadedVariant(name, obj, program, elf);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>The kernel keeps 15 characters of an object's name.</summary>
    public static string KernelName(string name) => name.Length > 15 ? name[..15] : name;

    public void Dispose() => Object.Dispose();
    public override string ToString() => Name;
}
