using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Runtime.Guards;

/// <summary>How the kernel tells the guard table that a map was written.</summary>
public enum GuardMechanism
{
    /// <summary>
    /// Programs on the <c>syscalls:sys_enter_bpf</c> and <c>syscalls:sys_exit_bpf</c> tracepoints resolve the map of each
    /// map-writing <c>bpf()</c> command and bump its version on entry and on exit, and on a successful
    /// <c>BPF_PROG_LOAD</c> bump the versions of the maps the new program uses. Programs on the
    /// <c>raw_syscalls:sys_enter</c>/<c>sys_exit</c> tracepoints do the same for the 32-bit <c>bpf()</c>, which the
    /// <c>syscalls:*</c> tracepoints do not see. Works where BPF trampolines (fentry, fexit, LSM) are refused. While
    /// attached, every system call on the machine takes the kernel's syscall-tracing path, so the table attaches only
    /// while some map is registered (see docs/guards.md for the measured cost).
    /// </summary>
    SyscallTracepoints,
}

/// <summary>A guarded map: its slot in <see cref="GuardTable.GuardsMap"/>, and how many registrations share it.</summary>
public sealed record GuardRegistration(int Slot, uint MapId, string MapName, int References);

/// <summary>A control-plane write the guard hook told of: the slot whose version it bumped (null: every slot), and
/// when the write's <c>bpf()</c> returned (<c>bpf_ktime_get_ns</c>, <c>CLOCK_MONOTONIC</c>, as
/// <see cref="System.Diagnostics.Stopwatch"/> counts on Linux).</summary>
public readonly record struct GuardWrite(int? Slot, long KernelNs)
{
    /// <summary>Now on the clock of <see cref="KernelNs"/> (<c>CLOCK_MONOTONIC</c>), in nanoseconds.</summary>
    public static long NowNs() => (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1e9 / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>The specialized program wrote it itself (a rarely written map's data-plane write), not a system call.</summary>
    public bool DataPlane { get; init; }

    /// <summary>How long ago the write returned.</summary>
    public TimeSpan Age => TimeSpan.FromTicks(Math.Max(0, NowNs() - KernelNs) / 100);
}

/// <summary>The guard table cannot take a map: it is full, or the map is one whose writes no hook sees.</summary>
public sealed class GuardException(string message) : KecleonException(message);

/// <summary>
/// Per-map versions that the kernel bumps whenever the control plane writes a guarded map, before that write's system
/// call returns. A specialized program reads <c>kecleon_guards[slot]</c> once at entry, compares it with the version it
/// was built against, and on a mismatch tail-calls the original program.
/// </summary>
/// <remarks>
/// <para>The protocol for a specializer: <see cref="Register"/> the map, read <see cref="Version"/>, <em>then</em> read the
/// map's contents and build against that version. Any write that completes after the version was read changes it (the
/// hook bumps on syscall exit too, so even a write that was already in flight when the map was registered is caught).
/// <see cref="Unregister"/> only after the specialized program is no longer attached.</para>
/// <para>Versions only grow, also across a slot's reuse, so a version captured for an earlier registration never matches
/// again. Each guarded write adds 2 (entry and exit); a syscall program's run adds 2 to every slot; loading a program
/// that uses the map adds 1 (on exit), unless this process (or another <see cref="GuardTable"/>'s) loads it.</para>
/// <para>Thread-safe. The hook is attached while at least one map is registered and detached otherwise.</para>
/// </remarks>
public sealed class GuardTable : IDisposable
{
    /// <summary>Slots in <c>kecleon_guards</c> (<see cref="GuardLayout.SlotCount"/>).</summary>
    public const int SlotCount = GuardLayout.SlotCount;
    public const string GuardsMapName = GuardLayout.GuardsMapName;
    public const string SlotsMapName = GuardLayout.SlotsMapName;
    public const string LoadersMapName = GuardLayout.LoadersMapName;
    /// <summary>The ring buffer the hook writes a <see cref="GuardWrite"/> to on each bump on syscall exit.</summary>
    public const string EventsMapName = GuardLayout.EventsMapName;
    /// <summary><c>KECLEON_GUARD_SOURCE_DATA_PLANE</c>: a record a specialized program wrote after its own write.</summary>
    private const uint DataPlaneSource = 1;
    /// <summary>A record's slot when the write bumped every slot.</summary>
    private const uint AllSlots = 0xffffffff;

    /// <summary>The declarations a program of one's own uses for the guard map, so that it can reuse
    /// <see cref="GuardsMap"/> (<see cref="BpfMap.ReuseFd"/> checks that type, sizes and flags agree): the text of
    /// <c>kecleon_guard.h</c>, the header the hook and the guard prelude are built with.</summary>
    public static string GuardsMapDeclaration => GuardsHeader.Value;

    private static readonly Lazy<string> GuardsHeader = new(() => BuiltBpf.ReadText(typeof(GuardTable).Assembly, "kecleon_guard.h"));

    /// <summary>Where <see cref="OpenPinned"/> keeps the table by default.</summary>
    public const string DefaultPinDirectory = "/sys/fs/bpf/kecleon/guards";
    private const string GuardsPin = "versions", SlotsPin = "registry", LoadersPin = "loaders", EventsPin = "events";

    /// <summary>The hook's programs, in the order they are attached (exit before entry: once an entry program bumps, its
    /// exit program is there too), with their links' pins.</summary>
    private static readonly (string Program, string? Category, string Tracepoint, string Pin)[] Hooks =
    [
        (GuardHookProgram.ExitProgram, GuardHookProgram.TracepointCategory, GuardHookProgram.ExitTracepoint, "exit_link"),
        (GuardHookProgram.EnterProgram, GuardHookProgram.TracepointCategory, GuardHookProgram.EnterTracepoint, "enter_link"),
        (GuardHookProgram.CompatExitProgram, null, GuardHookProgram.CompatExitTracepoint, "compat_exit_link"),
        (GuardHookProgram.CompatEnterProgram, null, GuardHookProgram.CompatEnterTracepoint, "compat_enter_link"),
    ];

    private readonly Lock _lock = new();
    private readonly BpfObject _hook;
    private readonly BpfMap _guards;
    private readonly BpfMap _slots;
    private readonly BpfMap _loaders;
    private readonly BpfMap _events;
    /// <summary>Reads <see cref="_events"/> from the first <see cref="WaitForWriteAsync"/> on (a thread blocked in
    /// <c>epoll_wait</c>).</summary>
    private BpfRingBuffer? _reader;
    private readonly Lock _waitLock = new();
    private readonly List<Waiter> _waiters = [];
    /// <summary>Per slot, the kernel time of the latest write told of (0: none); a write to every slot sets them all.</summary>
    private readonly long[] _lastWriteNs = new long[SlotCount];
    /// <summary>Per slot, whether the latest write told of was the data plane's own (<see cref="GuardWrite.DataPlane"/>).</summary>
    private readonly bool[] _lastWriteDataPlane = new bool[SlotCount];
    private readonly string? _pinDirectory;
    private readonly Dictionary<uint, int> _slotByMapId = [];
    private readonly GuardRegistration?[] _registrations = new GuardRegistration?[SlotCount];
    private bool _compatHooks = true;

    /// <summary>The hooks this table attaches: the 32-bit entry's only where the kernel runs 32-bit system calls.</summary>
    private static IEnumerable<(string Program, string? Category, string Tracepoint, string Pin)> HooksFor(bool compat) =>
        Hooks.Where(h => compat || h.Category is not null);

    /// <summary>The hook's links while attached by this process, in <see cref="Hooks"/> order.</summary>
    private readonly List<BpfLink> _links = [];
    /// <summary>Pinned mode: the hook was attached by an earlier process and is held by its pins.</summary>
    private bool _attachedByPins;

    /// <summary>Pinned mode: the lock that makes this process the table's only writer while it is open.</summary>
    private FileStream? _processLock;

    private GuardTable(BpfObject hook, string? pinDirectory = null)
    {
        _hook = hook;
        _guards = hook.Map(GuardsMapName);
        _slots = hook.Map(SlotsMapName);
        _loaders = hook.Map(LoadersMapName);
        _events = hook.Map(EventsMapName);
        _pinDirectory = pinDirectory;
    }

    /// <summary>The bpffs folder holding the table (pinned mode), or null (in-process mode).</summary>
    public string? PinDirectory => _pinDirectory;

    public GuardMechanism Mechanism => GuardMechanism.SyscallTracepoints;

    /// <summary>The hook in use, for reports.</summary>
    public string MechanismDescription =>
        $"{GuardHookProgram.TracepointCategory}:{GuardHookProgram.EnterTracepoint} + " +
        $"{GuardHookProgram.TracepointCategory}:{GuardHookProgram.ExitTracepoint} tracepoints " +
        (_compatHooks
            ? $"(32-bit bpf(): raw_syscalls:{GuardHookProgram.CompatEnterTracepoint} + raw_syscalls:{GuardHookProgram.CompatExitTracepoint})"
            : "(this kernel runs no 32-bit system calls)");

    /// <summary>Whether the hook watches the 32-bit <c>bpf()</c> (the kernel runs 32-bit system calls).</summary>
    public bool WatchesCompatSyscalls => _compatHooks;

    /// <summary><c>kecleon_guards</c>: u32 slot → u64 version. Specialized programs reuse it.</summary>
    public BpfMapAccess GuardsMap => _guards;

    /// <summary><c>kecleon_guard_events</c>: the ring of wake-ups. A live specialized program reuses it to tell of its own
    /// writes to the maps it was specialized on.</summary>
    public BpfMapAccess EventsMap => _events;

    /// <summary><c>kecleon_guard_slots</c>: u32 kernel map id → u32 slot.</summary>
    public BpfMapAccess SlotsMap => _slots;

    /// <summary><c>kecleon_guard_loaders</c>: u32 tgid → u64 start time (clock ticks since boot) of Kecleon's own
    /// processes, whose program loads bump nothing.</summary>
    internal BpfMapAccess LoadersMap => _loaders;

    /// <summary>Whether the hook is attached now (exactly while some map is registered).</summary>
    public bool IsAttached
    {
        get
        {
            lock (_lock)
                return _links.Count > 0 || _attachedByPins;
        }
    }

    public IReadOnlyList<GuardRegistration> Registrations
    {
        get
        {
            lock (_lock)
                return _registrations.OfType<GuardRegistration>().ToList();
        }
    }

    /// <summary>
    /// Creates the guard maps and loads the hook. The hook is attached and detached once here, so a kernel that refuses
    /// it fails now rather than at the first <see cref="Register"/>.
    /// </summary>
    public static GuardTable Open() => Open(CompatSyscalls.Open);

    /// <param name="compatHooks">Whether to watch the 32-bit <c>bpf()</c> too: by default, exactly when the kernel runs
    /// 32-bit system calls. Tests set it to measure what watching it costs.</param>
    internal static GuardTable Open(bool compatHooks)
    {
        var hook = BpfObject.Open(GuardHookProgram.Object, "kecleon_guard");
        try
        {
            hook.Load();
            var table = new GuardTable(hook) { _compatHooks = compatHooks };
            lock (table._lock)
            {
                table.RegisterLoader();
                table.Attach();
                table.Detach();
            }
            return table;
        }
        catch
        {
            hook.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the table pinned under <paramref name="directory"/> (creating and pinning it if absent): the versions map,
    /// the slot registry and, while some map is registered, the two tracepoint links. The table then outlives the
    /// process: a specialized program swapped in by a command that has exited stays guarded, and a later process (a
    /// restore, a daemon) reopens the same table with the same registrations. <see cref="Dispose"/> only closes this
    /// process's fds; <see cref="Unregister"/> of the last slot detaches the hook and removes its pins.
    /// </summary>
    /// <exception cref="GuardException">The pins exist but are not a table this version of Kecleon can use.</exception>
    public static GuardTable OpenPinned(string directory = DefaultPinDirectory, TimeSpan? lockTimeout = null)
    {
        // Slots are allocated from what this process read at open: two processes must not allocate at once.
        var processLock = LockPinned(directory, lockTimeout ?? TimeSpan.FromSeconds(30));
        BpfObject hook;
        try
        {
            hook = BpfObject.Open(GuardHookProgram.Object, "kecleon_guard");
        }
        catch
        {
            processLock.Dispose();
            throw;
        }
        var reused = new List<BpfLoadedMap>();
        try
        {
            var guardsPin = Path.Combine(directory, GuardsPin);
            var slotsPin = Path.Combine(directory, SlotsPin);
            var loadersPin = Path.Combine(directory, LoadersPin);
            var eventsPin = Path.Combine(directory, EventsPin);
            var existing = File.Exists(guardsPin) && File.Exists(slotsPin);
            // A table pinned by a Kecleon whose hook did not see program loads nor 32-bit calls has no loaders map, and
            // one whose hook told no reader of its writes has no events ring: its links are replaced below by this
            // hook's (attached before the old ones go, so that no write goes unseen meanwhile).
            var compat = CompatSyscalls.Open;
            var linkPins = Hooks.Where(h => File.Exists(Path.Combine(directory, h.Pin))).Select(h => h.Pin).ToList();
            var attachedByPins = linkPins.Order().SequenceEqual(HooksFor(compat).Select(h => h.Pin).Order());
            var current = existing && File.Exists(loadersPin) && File.Exists(eventsPin) && (linkPins.Count == 0 || attachedByPins);
            if (existing)
                foreach (var (name, pin) in current
                             ? new[] { (GuardsMapName, guardsPin), (SlotsMapName, slotsPin), (LoadersMapName, loadersPin), (EventsMapName, eventsPin) }
                             : [(GuardsMapName, guardsPin), (SlotsMapName, slotsPin)])
                {
                    var map = BpfLoadedMap.OpenPinned(pin);
                    reused.Add(map);
                    var declared = hook.Map(name);
                    if (map.Type != declared.Type || map.KeySize != declared.KeySize || map.ValueSize != declared.ValueSize || map.MaxEntries != declared.MaxEntries)
                        throw new GuardException(
                            $"{pin} is not a guard map this Kecleon can use ({map.Type}, key {map.KeySize} B, value {map.ValueSize} B, {map.MaxEntries} entries; " +
                            $"expected {declared.Type}, {declared.KeySize} B, {declared.ValueSize} B, {declared.MaxEntries}). " +
                            $"Restore every optimized program, then remove {directory}");
                    declared.ReuseFd(map);
                }
            hook.Load();
            Directory.CreateDirectory(directory);
            if (!existing)
            {
                hook.Map(GuardsMapName).Pin(guardsPin);
                hook.Map(SlotsMapName).Pin(slotsPin);
            }
            var table = new GuardTable(hook, directory) { _processLock = processLock, _compatHooks = compat };
            lock (table._lock)
            {
                if (!current)
                {
                    File.Delete(loadersPin);
                    hook.Map(LoadersMapName).Pin(loadersPin);
                    File.Delete(eventsPin);
                    hook.Map(EventsMapName).Pin(eventsPin);
                }
                table._attachedByPins = current && attachedByPins;
                table.PruneLoaders();
                table.RegisterLoader();
                table.LoadRegistrations();
                if (!table._attachedByPins)
                {
                    // Prove the kernel takes the hook, as Open does, and keep it attached if maps are guarded already.
                    table.Attach();
                    if (table._slotByMapId.Count == 0)
                        table.Detach();
                }
                else if (table._slotByMapId.Count == 0)
                    table.Detach();
            }
            return table;
        }
        catch
        {
            hook.Dispose();
            processLock.Dispose();
            throw;
        }
        finally
        {
            reused.ForEach(m => m.Dispose());
        }
    }

    /// <summary>The lock that makes this process the table's only owner (see <see cref="GuardLock"/>).</summary>
    private static FileStream LockPinned(string directory, TimeSpan timeout) => GuardLock.Acquire(directory, timeout);

    /// <summary>Pinned mode: the registrations earlier processes left in the registry (one reference each); entries of
    /// maps that no longer exist are dropped.</summary>
    private void LoadRegistrations()
    {
        foreach (var key in _slots.Keys().ToList())
        {
            var mapId = BitConverter.ToUInt32(key);
            if (_slots.Lookup(key) is not { } value)
                continue;
            var slot = (int)BitConverter.ToUInt32(value);
            string name;
            try
            {
                using var map = BpfLoadedMap.OpenById(mapId);
                name = map.Name;
            }
            catch (BpfException)
            {
                _slots.Delete(key);
                continue;
            }
            if ((uint)slot >= SlotCount || _registrations[slot] is not null)
            {
                _slots.Delete(key);
                continue;
            }
            _slotByMapId[mapId] = slot;
            _registrations[slot] = new GuardRegistration(slot, mapId, name, 1);
        }
    }

    /// <summary>The slot of the map with kernel id <paramref name="mapId"/>, if it is registered.</summary>
    public int? SlotOf(uint mapId)
    {
        lock (_lock)
            return _slotByMapId.TryGetValue(mapId, out var slot) ? slot : null;
    }

    /// <summary>
    /// Guards <paramref name="map"/> and returns its slot; a map registered already gets its slot back (each registration
    /// needs its own <see cref="Unregister"/>). Attaches the hook first if it was detached, so every write that returns
    /// after this call has changed <see cref="Version"/>.
    /// </summary>
    /// <exception cref="GuardException">The table is full, or the map is mmapable (writes through mmap bypass every hook).</exception>
    public int Register(BpfMapAccess map)
    {
        var info = map.Info();
        if (info.Flags.HasFlag(BpfMapFlags.Mmapable))
            throw new GuardException(
                $"map {info.Name} (id {info.Id}) is mmapable: writes through its mapping bypass every kernel hook, so no guard can see them");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_hook.IsClosed, this);
            if (_slotByMapId.TryGetValue(info.Id, out var existing))
            {
                var registration = _registrations[existing]!;
                _registrations[existing] = registration with { References = registration.References + 1 };
                return existing;
            }
            var slot = Array.IndexOf(_registrations, null);
            if (slot < 0)
                throw new GuardException($"guard table full: {SlotCount} maps are guarded already; cannot guard map {info.Name} (id {info.Id})");
            if (_slotByMapId.Count == 0)
                Attach();
            try
            {
                _slots.Update(BitConverter.GetBytes(info.Id), BitConverter.GetBytes((uint)slot));
            }
            catch
            {
                if (_slotByMapId.Count == 0)
                    Detach();
                throw;
            }
            _slotByMapId[info.Id] = slot;
            _registrations[slot] = new GuardRegistration(slot, info.Id, info.Name, 1);
            return slot;
        }
    }

    /// <summary>Drops one registration of the map in <paramref name="slot"/>; the last one frees the slot, and the last
    /// slot freed detaches the hook.</summary>
    public void Unregister(int slot)
    {
        CheckSlot(slot);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_hook.IsClosed, this);
            var registration = _registrations[slot] ?? throw new ArgumentException($"guard slot {slot} is not registered", nameof(slot));
            if (registration.References > 1)
            {
                _registrations[slot] = registration with { References = registration.References - 1 };
                return;
            }
            _slots.Delete(BitConverter.GetBytes(registration.MapId));
            _slotByMapId.Remove(registration.MapId);
            _registrations[slot] = null;
            if (_slotByMapId.Count == 0)
                Detach();
        }
    }

    /// <summary>
    /// Pinned mode, when no map is guarded any more (<c>kecleon restore</c>): detaches the hook and removes the table's
    /// pins and folder, so that nothing Kecleon pinned stays. Programs that still hold the maps keep them; the next
    /// <see cref="OpenPinned"/> makes a new table. Returns whether the pins were removed (false while a map is guarded).
    /// </summary>
    public bool RemovePinsIfUnused()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_hook.IsClosed, this);
            if (_pinDirectory is null || _slotByMapId.Count > 0)
                return false;
            Detach();
            foreach (var pin in new[] { GuardsPin, SlotsPin, LoadersPin, EventsPin })
                File.Delete(Path.Combine(_pinDirectory, pin));
            if (Directory.Exists(_pinDirectory) && !Directory.EnumerateFileSystemEntries(_pinDirectory).Any())
                Directory.Delete(_pinDirectory);
            return true;
        }
    }

    /// <summary>The current version of <paramref name="slot"/>, as a specialized program would read it now.</summary>
    public ulong Version(int slot)
    {
        CheckSlot(slot);
        return Versions()[slot];
    }

    /// <summary>Every slot's current version, in one read of the table.</summary>
    public ulong[] Versions() => Versions(_guards);

    /// <summary>The snapshots whose map was written since they were taken (their slot's version moved), with the version
    /// now, from one read of the table.</summary>
    public IReadOnlyList<(MapSnapshot Snapshot, ulong Now)> Written(IEnumerable<MapSnapshot> snapshots)
    {
        var now = Versions();
        return snapshots.Where(s => now[s.GuardSlot] != s.GuardVersion).Select(s => (s, now[s.GuardSlot])).ToList();
    }

    /// <summary>Every slot's version in a guard map of this layout: one element of <see cref="SlotCount"/> u64s.</summary>
    public static ulong[] Versions(BpfMapAccess guards)
    {
        var value = guards.Lookup(BitConverter.GetBytes(0u))
            ?? throw new InvalidOperationException($"{GuardsMapName} has no element 0");
        return Enumerable.Range(0, value.Length / GuardLayout.VersionBytes)
            .Select(slot => BitConverter.ToUInt64(value, GuardLayout.VersionOffset(slot))).ToArray();
    }

    /// <summary>Writes <paramref name="versions"/> (slot, version) into a guard map of this layout, other slots kept.</summary>
    public static void SetVersions(BpfMapAccess guards, IEnumerable<(int Slot, ulong Version)> versions)
    {
        var value = guards.Lookup(BitConverter.GetBytes(0u)) ?? new byte[GuardLayout.Default.VersionsBytes];
        foreach (var (slot, version) in versions)
            BitConverter.GetBytes(version).CopyTo(value, GuardLayout.VersionOffset(slot));
        guards.Update(BitConverter.GetBytes(0u), value);
    }

    /// <summary>
    /// Waits for the hook to tell of a write to one of <paramref name="slots"/> (or to every slot): the write, or null
    /// when <paramref name="timeout"/> passes first. The wait is registered when this is called, before it returns, so a
    /// caller reads the versions (<see cref="Written"/>) <em>after</em> calling and before awaiting: a write that
    /// completed before the call shows in the versions, and every later one completes the wait. While nothing is written
    /// the reader's thread sleeps in <c>epoll_wait</c> (no timer); the hook wakes it on each write's syscall exit.
    /// </summary>
    public Task<GuardWrite?> WaitForWriteAsync(IReadOnlySet<int> slots, TimeSpan timeout, CancellationToken cancel = default)
    {
        StartReader();
        var waiter = new Waiter(slots);
        lock (_waitLock)
            _waiters.Add(waiter);
        return WaitAsync(waiter, timeout, cancel);
    }

    private async Task<GuardWrite?> WaitAsync(Waiter waiter, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            return await waiter.Done.Task.WaitAsync(timeout, cancel);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_waitLock)
                _waiters.Remove(waiter);
        }
    }

    /// <summary>The kernel time (<see cref="GuardWrite.KernelNs"/>) of the latest write to <paramref name="slot"/> the
    /// hook told of since this table started reading, or null: for a write found in the versions.</summary>
    public long? LastWriteNs(int slot)
    {
        CheckSlot(slot);
        var ns = Volatile.Read(ref _lastWriteNs[slot]);
        return ns == 0 ? null : ns;
    }

    /// <summary>Whether the latest write to <paramref name="slot"/> told of was a specialized program's own
    /// (<see cref="GuardWrite.DataPlane"/>); false when none was.</summary>
    public bool LastWriteByDataPlane(int slot)
    {
        CheckSlot(slot);
        return Volatile.Read(ref _lastWriteDataPlane[slot]);
    }

    private sealed class Waiter(IReadOnlySet<int> slots)
    {
        public IReadOnlySet<int> Slots => slots;
        public readonly TaskCompletionSource<GuardWrite?> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void StartReader()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_hook.IsClosed, this);
            _reader ??= new BpfRingBuffer(_events, OnEvent, "kecleon-guard-events");
        }
    }

    /// <summary>One record of the hook or of a live specialized program (on the reader's thread): a u32 slot, a u32
    /// source (<see cref="DataPlaneSource"/>: the program's own write), a u64 time.</summary>
    private void OnEvent(ReadOnlySpan<byte> record)
    {
        if (record.Length < 16)
            return;
        var raw = BitConverter.ToUInt32(record);
        var dataPlane = BitConverter.ToUInt32(record[4..]) == DataPlaneSource;
        var ns = BitConverter.ToInt64(record[8..]);
        int? slot = raw == AllSlots ? null : (int)raw;
        if (slot is { } one)
        {
            if ((uint)one >= SlotCount)
                return;
            Volatile.Write(ref _lastWriteDataPlane[one], dataPlane);
            Volatile.Write(ref _lastWriteNs[one], ns);
        }
        else
            for (var i = 0; i < SlotCount; i++)
            {
                Volatile.Write(ref _lastWriteDataPlane[i], dataPlane);
                Volatile.Write(ref _lastWriteNs[i], ns);
            }
        var write = new GuardWrite(slot, ns) { DataPlane = dataPlane };
        lock (_waitLock)
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (slot is null || _waiters[i].Slots.Contains(slot.Value))
                {
                    _waiters[i].Done.TrySetResult(write);
                    _waiters.RemoveAt(i);
                }
    }

    /// <summary>
    /// Detaches the hook until the returned handle is disposed, which attaches it again. While detached, writes to the
    /// guarded maps do <b>not</b> bump their versions: only for a caller that lets nothing write them meanwhile and checks
    /// afterwards that their contents did not change. <c>kecleon bench</c> times with the hook detached, because the hook
    /// runs on each <c>BPF_PROG_TEST_RUN</c> call, between two timed packets, where a live data plane has no system call
    /// at all (measured: the router's kernel-trie baseline about 5 % slower with it attached). A pinned table guards
    /// programs other processes swapped in, so it refuses.
    /// </summary>
    public IDisposable SuspendHook()
    {
        lock (_lock)
        {
            if (_pinDirectory is not null)
                throw new InvalidOperationException("a pinned guard table guards programs other processes rely on: its hook cannot be suspended");
            if (_links.Count == 0)
                return new Resume(null);
            Detach();
            return new Resume(this);
        }
    }

    private sealed class Resume(GuardTable? table) : IDisposable
    {
        private GuardTable? _table = table;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _table, null) is not { } table)
                return;
            lock (table._lock)
                if (table._registrations.OfType<GuardRegistration>().Any())
                    table.Attach();
        }
    }

    /// <summary>Detaches the hook and closes the maps (specialized programs that reuse them keep them alive). In pinned
    /// mode only this process's fds are closed: the pins keep the table and the hook.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_hook.IsClosed)
                return;
            _reader?.Dispose();
            _reader = null;
            lock (_waitLock)
            {
                foreach (var waiter in _waiters)
                    waiter.Done.TrySetException(new ObjectDisposedException(nameof(GuardTable)));
                _waiters.Clear();
            }
            if (_pinDirectory is null)
                Detach();
            else
            {
                // bpf_link__destroy closes our fds; the pinned links stay attached.
                _links.ForEach(l => l.Dispose());
                _links.Clear();
                UnregisterLoader();
            }
            _hook.Dispose();
            _processLock?.Dispose();
        }
    }

    private static void CheckSlot(int slot) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)SlotCount, nameof(slot));

    private void Attach()
    {
        if (_links.Count > 0 || _attachedByPins)
            return;
        try
        {
            var hooks = HooksFor(_compatHooks).ToList();
            foreach (var (program, category, tracepoint, _) in hooks)
                _links.Add(category is null
                    ? BpfLink.AttachRawTracepoint(_hook.Program(program), tracepoint)
                    : BpfLink.AttachTracepoint(_hook.Program(program), category, tracepoint));
            if (_pinDirectory is not null)
            {
                // Links an older hook left pinned (one without the loaders map or the events ring) go only now that this
                // hook's run: both bump meanwhile, and versions only grow.
                foreach (var (_, _, _, pin) in Hooks.Reverse())
                    File.Delete(Path.Combine(_pinDirectory, pin));
                for (var i = 0; i < hooks.Count; i++)
                    _links[i].Pin(Path.Combine(_pinDirectory, hooks[i].Pin));
            }
        }
        catch
        {
            Detach();
            throw;
        }
    }

    private void Detach()
    {
        if (_pinDirectory is not null)
        {
            // Entries first, as below: removing the last reference to a pinned link detaches it.
            foreach (var (_, _, _, pin) in Hooks.Reverse())
                File.Delete(Path.Combine(_pinDirectory, pin));
            _attachedByPins = false;
        }
        for (var i = _links.Count - 1; i >= 0; i--)
            _links[i].Dispose();
        _links.Clear();
    }

    /// <summary>Marks this process as Kecleon's in <c>kecleon_guard_loaders</c>: the programs it loads (specialized
    /// programs, instrumented ones, the check's copies of the original) use guarded maps by design and must not
    /// invalidate them.</summary>
    private void RegisterLoader()
    {
        var self = Environment.ProcessId;
        var started = ProcessStartTicks(self) ?? throw new GuardException($"cannot read this process's start time from /proc/{self}/stat");
        _loaders.Update(BitConverter.GetBytes((uint)self), BitConverter.GetBytes(started));
    }

    private void UnregisterLoader()
    {
        try
        {
            _loaders.Delete(BitConverter.GetBytes((uint)Environment.ProcessId));
        }
        catch (BpfException)
        {
            // Not there: nothing to remove.
        }
    }

    /// <summary>Drops the loaders whose process is gone (the hook already ignores them: their start time differs from
    /// any later process with the same pid).</summary>
    private void PruneLoaders()
    {
        foreach (var key in _loaders.Keys().ToList())
        {
            var pid = BitConverter.ToUInt32(key);
            if (_loaders.Lookup(key) is { } value && ProcessStartTicks((int)pid) == BitConverter.ToUInt64(value))
                continue;
            try
            {
                _loaders.Delete(key);
            }
            catch (BpfException)
            {
                // Removed meanwhile.
            }
        }
    }

    /// <summary>A process's start time in clock ticks since boot (field 22 of <c>/proc/&lt;pid&gt;/stat</c>), as the hook
    /// computes it from <c>task_struct.start_boottime</c>; null if the process does not exist.</summary>
    internal static ulong? ProcessStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return ulong.TryParse(fields[22 - 3], out var ticks) ? ticks : null;
    }
}
