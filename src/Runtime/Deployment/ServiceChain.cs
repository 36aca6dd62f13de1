using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>A PROG_ARRAY slot some stage of a chain may tail-call: the map (by id and kernel name) and the index.</summary>
public sealed record ChainSlot(uint MapId, string MapName, uint Index)
{
    /// <summary>The slot's hook (<see cref="ProgramArraySlotHook"/>), opened now; the caller owns it.</summary>
    public ProgramArraySlotHook OpenHook() => new(BpfLoadedMap.OpenById(MapId), Index);

    public override string ToString() => $"slot {Index} of {MapName} (map id {MapId})";
}

/// <summary>
/// One stage of a live chain: a program and where it runs from, the entry's hook (<see cref="Slot"/> null) or a slot.
/// </summary>
/// <param name="ProgramId">The program there when the chain was read.</param>
/// <param name="ProgramName">Its kernel name (at most 15 characters of the function's).</param>
/// <param name="Calls">The occupied slots of the PROG_ARRAYs the program uses: those it may tail-call (which of them it
/// does, and with which index, only its code says).</param>
public sealed record ChainStage(uint ProgramId, string ProgramName, BpfProgramType Type, string Tag, ChainSlot? Slot, IReadOnlyList<ChainSlot> Calls)
{
    public bool IsEntry => Slot is null;

    /// <summary>A program Kecleon built (optimized or instrumented): it uses one of Kecleon's own maps (<c>kecleon_*</c>).</summary>
    public bool Variant { get; init; }

    /// <summary>Where it runs from, for messages: <c>the entry</c> or <c>slot 2 of chain_slots (map id 7)</c>.</summary>
    public string Where => Slot?.ToString() ?? "the entry";
}

/// <summary>
/// A service chain as the kernel runs it, read from the entry's hook (or from a PROG_ARRAY alone): the entry program,
/// every PROG_ARRAY its programs use (the map ids of <c>bpf_prog_info</c>), each occupied slot's program, recursively,
/// each program expanded once (a cycle, a stage that tail-calls itself or an earlier one, is cut there). Kecleon's own
/// PROG_ARRAYs (<c>kecleon_*</c>: an optimized stage's fallback, holding its original) are not the chain's, but the
/// original there is followed: its PROG_ARRAYs are the stage's (a fused entry may tail-call none itself). Reading it
/// changes nothing. A program in two slots is two stages, one per slot: each slot is a hook of its own. The CLI's
/// chains and the daemon's read chains this one way.
/// </summary>
public sealed class ServiceChain
{
    /// <summary>At most this many stages are read: the kernel runs at most 33 tail calls per packet, and a PROG_ARRAY
    /// of thousands of slots is a dispatcher table, not a chain.</summary>
    public const int MaxStages = 256;

    private ServiceChain(string root, IReadOnlyList<ChainStage> stages, IReadOnlyList<ChainSlot> cut)
    {
        Root = root;
        Stages = stages;
        CutSlots = cut;
    }

    /// <summary>Where the chain was read from: the entry's hook, or the PROG_ARRAY.</summary>
    public string Root { get; }

    /// <summary>The stages in the order they were found (breadth first): the entry first when there is one.</summary>
    public IReadOnlyList<ChainStage> Stages { get; }

    /// <summary>Slots whose program was already read when the slot was first reached (a cycle back to an earlier stage,
    /// or one program in two slots): stages of their own, whose PROG_ARRAYs were not read again.</summary>
    public IReadOnlyList<ChainSlot> CutSlots { get; }

    public ChainStage? Entry => Stages.FirstOrDefault(s => s.IsEntry);

    /// <summary>The slots that hold stages.</summary>
    public IReadOnlyList<ChainSlot> Slots => [.. Stages.Where(s => s.Slot is not null).Select(s => s.Slot!)];

    /// <summary>The chain whose entry runs on <paramref name="hook"/> (the hook is only read).</summary>
    public static ServiceChain FromHook(ProgramHook hook)
    {
        var id = hook.CurrentProgramId();
        if (id == 0)
            throw new KecleonException($"no program is attached to {hook.Description}: there is no chain to read");
        return Read(hook.Description, [(id, null)]);
    }

    /// <summary>The chain of the stages in a PROG_ARRAY's slots (no entry: the PROG_ARRAY's owner is not known from the
    /// map), and of the PROG_ARRAYs they use in turn.</summary>
    public static ServiceChain FromProgramArray(BpfLoadedMap map)
    {
        if (map.Type != BpfMapType.ProgArray)
            throw new UsageException($"map {map.Name} (id {map.Id}) is a {Checking.MapKindTreatment.Describe(map.Type)} map, not a PROG_ARRAY");
        return Read($"PROG_ARRAY {map.Name} (map id {map.Id})", [.. OccupiedSlots(map).Select(s => (s.ProgramId, (ChainSlot?)s.Slot))]);
    }

    /// <summary>A PROG_ARRAY named by a pin (a path) or an id.</summary>
    public static BpfLoadedMap OpenProgramArray(string pinOrId)
    {
        BpfLoadedMap map;
        try
        {
            map = uint.TryParse(pinOrId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? BpfLoadedMap.OpenById(id)
                : BpfLoadedMap.OpenPinned(pinOrId);
        }
        catch (BpfException e)
        {
            throw new InvalidInputException($"--prog-array {pinOrId}: {(uint.TryParse(pinOrId, out _) ? "no map with that id" : "not a pinned map")} ({e.Message})");
        }
        if (map.Type == BpfMapType.ProgArray)
            return map;
        var message = $"--prog-array {pinOrId}: map {map.Name} (id {map.Id}) is a {Checking.MapKindTreatment.Describe(map.Type)} map, not a PROG_ARRAY";
        map.Dispose();
        throw new UsageException(message);
    }

    /// <summary>The stages whose kernel name is not one of <paramref name="programNames"/> (the input's functions; the
    /// kernel keeps 15 characters of a name).</summary>
    public IReadOnlyList<ChainStage> NotIn(IEnumerable<string> programNames)
    {
        var names = programNames.Select(LoadedVariant.KernelName).ToHashSet(StringComparer.Ordinal);
        return [.. Stages.Where(s => !names.Contains(s.ProgramName))];
    }

    /// <summary>One line per stage, for reports: <c>the entry: program 12 chain_firewall, may tail-call slot 2 of ...</c>.</summary>
    public IEnumerable<string> Describe() => Stages.Select(s =>
        $"{s.Where}: program {s.ProgramId} {s.ProgramName}" +
        (s.Calls.Count == 0 ? "" : $"; may tail-call {string.Join(", ", s.Calls)}"));

    private static ServiceChain Read(string root, IReadOnlyList<(uint ProgramId, ChainSlot? Slot)> starts)
    {
        var stages = new List<ChainStage>();
        var cut = new List<ChainSlot>();
        var expanded = new HashSet<uint>();
        var reached = new HashSet<ChainSlot>(starts.Where(s => s.Slot is not null).Select(s => s.Slot!));
        var queue = new Queue<(uint ProgramId, ChainSlot? Slot)>(starts);
        while (queue.TryDequeue(out var next))
        {
            if (stages.Count >= MaxStages)
                throw new UnsupportedHookException($"the chain from {root} has more than {MaxStages} stages: Kecleon reads chains, not dispatcher tables");
            if (TryInfo(next.ProgramId) is not { } info)
                continue; // unloaded meanwhile: the slot emptied
            var calls = new List<ChainSlot>();
            // A program in a second slot is a stage there too, but its PROG_ARRAYs were read the first time.
            var expand = expanded.Add(info.Id);
            var variant = false;
            foreach (var map in ProgramArrays(info, [info.Id], ref variant))
                using (map)
                    foreach (var (slot, programId) in OccupiedSlots(map))
                    {
                        calls.Add(slot);
                        if (!expand || !reached.Add(slot))
                            continue;
                        // A slot holding a program already read (an earlier stage: a cycle) is still a hook of its own.
                        if (expanded.Contains(programId) || queue.Any(q => q.ProgramId == programId))
                            cut.Add(slot);
                        queue.Enqueue((programId, slot));
                    }
            stages.Add(new ChainStage(info.Id, info.Name, info.Type, info.Tag, next.Slot, calls) { Variant = variant });
        }
        return new ServiceChain(root, stages, cut);
    }

    /// <summary>The stage in slot <paramref name="index"/> of <paramref name="map"/>, read as a chain's stage is (without
    /// following its calls further), or null when the slot is empty or its program was unloaded meanwhile.</summary>
    public static ChainStage? StageIn(BpfLoadedMap map, uint index)
    {
        if (map.Lookup(BitConverter.GetBytes(index)) is not { } value || BitConverter.ToUInt32(value) is not (var id and not 0)
            || TryInfo(id) is not { } info)
            return null;
        var variant = false;
        var calls = new List<ChainSlot>();
        foreach (var array in ProgramArrays(info, [info.Id], ref variant))
            using (array)
                calls.AddRange(OccupiedSlots(array).Select(s => s.Slot));
        return new ChainStage(info.Id, info.Name, info.Type, info.Tag, new ChainSlot(map.Id, map.Name, index), calls) { Variant = variant };
    }

    /// <summary>
    /// The chain's PROG_ARRAYs <paramref name="program"/> uses (the caller disposes them): its own, and through Kecleon's
    /// (<c>kecleon_*</c>: an optimized program's fallback) those of the original there, which is not a stage itself.
    /// <paramref name="variant"/> is set when the program uses any map of Kecleon's.
    /// </summary>
    private static List<BpfLoadedMap> ProgramArrays(BpfProgramInfo program, HashSet<uint> followed, ref bool variant)
    {
        var arrays = new List<BpfLoadedMap>();
        ProgramArrays(program, followed, [], arrays, ref variant);
        return arrays;
    }

    private static void ProgramArrays(BpfProgramInfo program, HashSet<uint> followed, HashSet<uint> listed, List<BpfLoadedMap> arrays, ref bool variant)
    {
        foreach (var mapId in program.MapIds)
        {
            // An optimized program and its original use the same PROG_ARRAYs: each is listed once.
            if (listed.Contains(mapId) || TryOpenMap(mapId) is not { } map)
                continue;
            var ours = map.Name.StartsWith(KecleonMapPrefix, StringComparison.Ordinal);
            variant |= ours;
            if (map.Type != BpfMapType.ProgArray)
            {
                map.Dispose();
                continue;
            }
            if (!ours)
            {
                listed.Add(mapId);
                arrays.Add(map);
                continue;
            }
            using (map)
                foreach (var (_, original) in OccupiedSlots(map))
                {
                    if (!followed.Add(original) || TryInfo(original) is not { } info)
                        continue;
                    var originalIsVariant = false;
                    ProgramArrays(info, followed, listed, arrays, ref originalIsVariant);
                }
        }
    }

    /// <summary>The prefix of every map Kecleon adds to a program it builds (the guard table, the fallback, the profiler's).</summary>
    private const string KecleonMapPrefix = "kecleon_";

    private static BpfProgramInfo? TryInfo(uint program)
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(program);
            return BpfProgramInfo.FromFd(fd.Value);
        }
        catch (BpfException)
        {
            return null; // unloaded meanwhile
        }
    }

    private static BpfLoadedMap? TryOpenMap(uint id)
    {
        try
        {
            return BpfLoadedMap.OpenById(id);
        }
        catch (BpfException)
        {
            return null;
        }
    }

    private static IEnumerable<(ChainSlot Slot, uint ProgramId)> OccupiedSlots(BpfLoadedMap map) =>
        map.Entries().Select(e => (new ChainSlot(map.Id, map.Name, BitConverter.ToUInt32(e.Key)), BitConverter.ToUInt32(e.Value)));
}
