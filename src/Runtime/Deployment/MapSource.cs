using Kecleon.Bpf;
using Kecleon.Runtime.Checking;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Deployment;

/// <summary>One entry of a map as a source holds it: the key, and the value (one per CPU for a per-CPU map, each of the
/// map's value size, CPU by CPU from 0).</summary>
public sealed record MapContentsEntry(byte[] Key, IReadOnlyList<byte[]> Values);

/// <summary>
/// One map's contents read from a source, with the definition the source knows (a dump file knows none: its type and
/// sizes are those of its entries). <paramref name="Origin"/> names where it came from, for errors: a file, a pin path,
/// a program's map id.
/// </summary>
public sealed record MapContents(string Name, string Origin, BpfMapType? Type, IReadOnlyList<MapContentsEntry> Entries)
{
    /// <summary>Reads a loaded map: every entry, per-CPU values split CPU by CPU.</summary>
    public static MapContents Read(BpfMapAccess map, string name, string origin)
    {
        var slot = BpfMapAccess.PerCpuStride(map.ValueSize);
        var perCpu = map.Type.IsPerCpu();
        var entries = map.Entries().Select(e => new MapContentsEntry(e.Key, perCpu
            ? Enumerable.Range(0, e.Value.Length / slot).Select(cpu => e.Value.AsSpan(cpu * slot, map.ValueSize).ToArray()).ToList()
            : [e.Value])).ToList();
        return new MapContents(name, origin, map.Type, entries);
    }
}

/// <summary>
/// Where the maps a program runs on come from, when they are not a bundled sample's control plane: a live program's
/// maps (<c>--maps-from PROG_ID</c>), the maps pinned in a folder (<c>--maps-from PIN_DIR</c>), or <c>bpftool map dump
/// -j</c> files (<c>--maps FILE|DIR</c>, <see cref="MapDump"/>). Every command that runs a program fills its maps from
/// one through <see cref="ToControlPlane"/>: the contents are copied into the run's own maps, never the live maps
/// themselves, so nothing the run writes reaches the data plane.
/// </summary>
/// <param name="Description">What the source is, for messages: <c>program 42</c>, <c>/sys/fs/bpf/router</c>, a file.</param>
/// <param name="Maps">The maps it holds.</param>
/// <param name="Strict">A map the program does not have is an error (a dump the user wrote for this program), not a
/// note (a live program or pin folder may hold maps of other programs, and Kecleon's own).</param>
public sealed record MapSource(string Description, IReadOnlyList<MapContents> Maps, bool Strict)
{
    /// <summary>The maps of loaded program <paramref name="programId"/>, each read once, named as the kernel names them
    /// (15 characters at most).</summary>
    public static MapSource FromProgram(uint programId)
    {
        BpfProgramInfo info;
        try
        {
            using var program = BpfFd.OpenProgramById(programId);
            info = BpfProgramInfo.FromFd(program.Value);
        }
        catch (BpfException e)
        {
            throw new InputNotFoundException($"--maps-from {programId}: no loaded program has that id ({e.Message}); `bpftool prog show` lists them");
        }
        var maps = new List<MapContents>();
        foreach (var id in info.MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            maps.Add(Readable(map) ? MapContents.Read(map, map.Name, $"program {programId}'s map {map.Name} (id {id})")
                : new MapContents(map.Name, $"program {programId}'s map {map.Name} (id {id})", map.Type, []));
        }
        return new MapSource($"program {programId} ({info.Name})", maps, Strict: false);
    }

    /// <summary>The maps pinned directly in <paramref name="folder"/>, each named by its file name (as libbpf and bpftool
    /// pin them: the map's name); programs and links pinned there are passed over.</summary>
    public static MapSource FromPinFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InputNotFoundException($"--maps-from {folder}: no such folder (give a program id or a folder of pinned maps)");
        var maps = new List<MapContents>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            BpfFd fd;
            try
            {
                fd = BpfFd.OpenPinned(path);
            }
            catch (BpfException)
            {
                continue; // not a pinned BPF object
            }
            if (fd.Kind != "bpf-map")
            {
                fd.Dispose();
                continue;
            }
            using var map = new BpfLoadedMap(fd);
            var name = Path.GetFileName(path);
            maps.Add(Readable(map) ? MapContents.Read(map, name, path) : new MapContents(name, path, map.Type, []));
        }
        if (maps.Count == 0)
            throw new InvalidInputException($"--maps-from {folder}: no map is pinned there");
        return new MapSource(folder, maps, Strict: false);
    }

    /// <summary>Kinds whose entries a copy takes (<see cref="CheckCopy.Entries"/>); the others are read as empty.</summary>
    private static bool Readable(BpfMapAccess map) => MapKindTreatment.Find(map.Type)?.Copy == CheckCopy.Entries;

    /// <summary>
    /// The source's contents for the maps of <paramref name="obj"/> (opened, not yet loaded), checked against its
    /// definitions: a map matched by name (or by the kernel's 15-character name; writable global data, <c>.data</c> and
    /// <c>.bss</c>, by section), keys and values of the map's sizes, no more entries than it holds, the same kind.
    /// A mismatch is an error naming the map and where it came from (exit 65). Kinds whose contents a copy cannot take
    /// (a PROG_ARRAY's programs, a map of maps, a ring buffer) start empty and are listed in <paramref name="notes"/>.
    /// </summary>
    public ControlPlaneData ToControlPlane(BpfObject obj, List<string> notes)
    {
        var data = new ControlPlaneData();
        foreach (var contents in Maps)
        {
            var section = LoadedVariant.GlobalDataSection(contents.Name);
            var map = section is not null
                ? obj.Maps.FirstOrDefault(m => m.IsInternal && LoadedVariant.GlobalDataSection(m.Name) == section)
                : obj.Maps.FirstOrDefault(m => !m.IsInternal && (m.Name == contents.Name || LoadedVariant.KernelName(m.Name) == contents.Name));
            if (section is not null && !GlobalDataLayout.IsWritable(section))
                continue; // read-only data is part of the program: each object has its own
            if (map is null)
            {
                if (Strict)
                    throw new InvalidInputException($"{contents.Origin}: {obj.Name} has no map '{contents.Name}'; its maps: " +
                                                    string.Join(", ", obj.Maps.Where(m => !m.IsInternal || GlobalDataLayout.IsWritable(LoadedVariant.GlobalDataSection(m.Name) ?? "")).Select(m => m.Name)));
                notes.Add($"{Description}: map {contents.Name} is not one of {obj.Name}'s maps; not copied");
                continue;
            }
            if (contents.Type is { } type && type != map.Type)
                throw new InvalidInputException($"{contents.Origin}: map {contents.Name} is a {MapKindTreatment.Describe(type)} there, " +
                                                $"and {map.Name} is a {MapKindTreatment.Describe(map.Type)} in {obj.Name}");
            if (!map.IsInternal && MapKindTreatment.Find(map.Type)?.Copy != CheckCopy.Entries)
            {
                notes.Add($"map {map.Name} ({MapKindTreatment.Describe(map.Type)}) starts empty: Kecleon copies the entries of hash, array and LPM maps, not {MapKindTreatment.Describe(map.Type)} contents");
                continue;
            }
            if (contents.Entries.Count > map.MaxEntries && map.MaxEntries > 0)
                throw new InvalidInputException($"{contents.Origin}: map {contents.Name} has {contents.Entries.Count} entries, over the {map.MaxEntries} {map.Name} holds (max_entries)");
            var name = map.IsInternal ? section! : map.Name;
            for (var i = 0; i < contents.Entries.Count; i++)
            {
                var entry = contents.Entries[i];
                if (entry.Key.Length != map.KeySize)
                    throw new InvalidInputException($"{contents.Origin}: map {contents.Name}, entry {i}: the key has {entry.Key.Length} bytes, {map.Name} takes {map.KeySize}");
                data.Add(name, entry.Key, SyscallValue(map, contents, i));
            }
        }
        return data;
    }

    /// <summary>An entry's value as the syscalls take it: the value, or for a per-CPU map one 8-byte-aligned slot per
    /// possible CPU (CPUs the source does not name hold zeros).</summary>
    private static byte[] SyscallValue(BpfMap map, MapContents contents, int index)
    {
        var values = contents.Entries[index].Values;
        foreach (var value in values)
            if (value.Length != map.ValueSize)
                throw new InvalidInputException($"{contents.Origin}: map {contents.Name}, entry {index}: the value has {value.Length} bytes, {map.Name} takes {map.ValueSize}");
        if (!map.Type.IsPerCpu())
            return values.Count == 1 ? values[0]
                : throw new InvalidInputException($"{contents.Origin}: map {contents.Name}, entry {index}: {values.Count} per-CPU values for {map.Name}, which is not a per-CPU map");
        if (values.Count > BpfMapAccess.PossibleCpus)
            throw new InvalidInputException($"{contents.Origin}: map {contents.Name}, entry {index}: values for {values.Count} CPUs, and this machine has {BpfMapAccess.PossibleCpus}");
        var slot = BpfMapAccess.PerCpuStride(map.ValueSize);
        var syscall = new byte[slot * BpfMapAccess.PossibleCpus];
        for (var cpu = 0; cpu < values.Count; cpu++)
            values[cpu].CopyTo(syscall, cpu * slot);
        return syscall;
    }

    /// <summary>The maps of <paramref name="obj"/> a program is specialized on that <paramref name="data"/> leaves empty
    /// (hash, array and LPM maps): what the warning on empty maps names.</summary>
    public static IReadOnlyList<string> EmptyMaps(BpfObject obj, ControlPlaneData? data) => obj.Maps
        .Where(m => !m.IsInternal && MapKindTreatment.Find(m.Type)?.Snapshot == true && (data is null || data.Entries(m.Name).Count == 0))
        .Select(m => m.Name).ToList();
}
