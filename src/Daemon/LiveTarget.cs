using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Daemon;

/// <summary>
/// A configured target, opened (<see cref="ResolvedTarget"/>: its hook and pins, its input, and the original as the
/// daemon holds it), with its profiler and the packets its last profile window sampled.
/// </summary>
public sealed class LiveTarget : IDisposable
{
    private readonly ResolvedTarget _resolved;
    private Profiler? _profiler;

    private LiveTarget(TargetConfig config, ResolvedTarget resolved)
    {
        Config = config;
        _resolved = resolved;
    }

    public TargetConfig Config { get; }
    public ProgramSource Source => _resolved.Input.Source;
    public byte[] OriginalElf => _resolved.Input.OriginalElf;
    public string? ProgramName => _resolved.Input.ProgramName;
    /// <summary>The bundled sample the source is (<c>sample:NAME</c>), if any.</summary>
    public INetworkFunctionSample? Sample => _resolved.Input.Sample;
    public Target Target => _resolved.Target;
    /// <summary>The original, when the daemon loaded it.</summary>
    public LoadedVariant? Loaded => _resolved.Loaded;

    /// <summary>Programs of ours that share the target's maps (the instrumented copy), for the optimizer's trust.</summary>
    public IReadOnlySet<uint> Variants => _profiler is null ? new HashSet<uint>() : new HashSet<uint> { _profiler.Instrumented.Program.Info().Id };

    /// <summary>The original as a loaded program on the live maps (<see cref="ResolvedTarget.Original"/>). Fallbacks and
    /// profiles use it.</summary>
    public LoadedVariant Original => _resolved.Original;

    private static readonly TimeSpan CollectEvery = TimeSpan.FromMilliseconds(100);
    /// <summary>A window in the live program is opened for this much longer than it is read: it closes itself then if
    /// the daemon does not close it first (killed, say).</summary>
    private static readonly TimeSpan WindowSlack = TimeSpan.FromSeconds(1);

    // The specialized program that profiles itself, once one is swapped in; the instrumented original's layout; and the
    // program whose maps the profiler reads now.
    private (uint Id, InstrumentationLayout Layout)? _selfProfiled;
    private InstrumentationLayout? _instrumentedLayout;
    private uint _reading;

    /// <summary>The program <paramref name="programId"/>, just swapped in, profiles itself as <paramref name="layout"/>
    /// says: the next windows are opened in it, while it runs on the hook.</summary>
    public void ProfilesItself(uint programId, InstrumentationLayout? layout) =>
        _selfProfiled = layout is { Windowed: true } ? (programId, layout) : null;

    /// <summary>Whether the next profile window runs in the live program (else the instrumented original is swapped in).</summary>
    public bool ProfilesInPlace => _profiler is not null && _selfProfiled is { } self && Target.OptimizedId == self.Id;

    /// <summary>
    /// Profiles the traffic for <paramref name="window"/> and returns the aged profile. While the hook runs a specialized
    /// program that profiles itself, the window is opened in it (<see cref="Profiler.OpenWindow"/>) and closed again:
    /// nothing is swapped, and the data plane keeps running the optimized code. Otherwise (the original runs: before the
    /// first specialization, after a roll back) the instrumented original is swapped in for the program there now, then
    /// swapped back (both atomic; it behaves exactly like the original). The profiler lives as long as the target, so
    /// counts age across windows and across the programs they were read from.
    /// </summary>
    public async Task<Profile> ProfileAsync(TimeSpan window, CancellationToken stop)
    {
        if (ProfilesInPlace)
        {
            var (id, layout) = _selfProfiled!.Value;
            Read(id, () => ProfileMaps.OfProgram(id), layout);
            _profiler!.EndWindow(); // counts from before this window are not this traffic's
            _profiler.OpenWindow(window + WindowSlack);
            try
            {
                await CollectAsync(window, stop);
            }
            finally
            {
                _profiler.CloseWindow();
            }
        }
        else
        {
            if (_profiler is null)
            {
                _profiler = Profiler.Load(Source, Original, InstrumentationOptions.Live);
                _instrumentedLayout = _profiler.Layout;
                _reading = _profiler.Instrumented.Program.Info().Id;
            }
            Read(_profiler.Instrumented.Program.Info().Id, () => ProfileMaps.Of(_profiler.Instrumented), _instrumentedLayout!);
            var instrumented = ProgramRef.Of(_profiler.Instrumented.Program.Fd);
            Target.BeginProfiling(instrumented);
            try
            {
                _profiler.EndWindow();
                await CollectAsync(window, stop);
            }
            finally
            {
                Target.EndProfiling(instrumented);
            }
        }
        LivePackets = _profiler!.RecentPackets();
        return _profiler.Snapshot();
    }

    /// <summary>Moves the profiler to program <paramref name="id"/>'s maps, unless it reads them already.</summary>
    private void Read(uint id, Func<ProfileMaps> maps, InstrumentationLayout layout)
    {
        if (_reading == id)
            return;
        _profiler!.Attach(maps(), layout);
        _reading = id;
    }

    /// <summary>Reads the keys every 100 ms until <paramref name="window"/> is up, then closes the profiler's window.</summary>
    private async Task CollectAsync(TimeSpan window, CancellationToken stop)
    {
        // The keys are read every 100 ms, so that a CPU's ring (512 samples) does not wrap at up to ~650,000 packets
        // per second per CPU at the live rates (12.5 ms of every 100 sampled, one packet in 16 of those) with one
        // profiled lookup per packet; past that each read keeps the latest 512.
        var end = DateTime.UtcNow + window;
        for (var left = window; left > TimeSpan.Zero; left = end - DateTime.UtcNow)
        {
            await Task.Delay(left < CollectEvery ? left : CollectEvery, stop);
            _profiler!.Collect();
        }
        _profiler!.EndWindow();
    }

    /// <summary>Packets for the differential check, made once (<see cref="CheckPackets.For"/>): a bundled sample's known
    /// frames and a trace; for other programs, well-formed, random and malformed frames; then the frames of the target's
    /// traces (<see cref="TargetConfig.Pcap"/>). The packets sampled from live traffic come on top (<see cref="LivePackets"/>).</summary>
    public IReadOnlyList<byte[]> DefaultCheckPackets => _checkPackets ??= CheckPackets.For(Sample, 1000, seed: 1).WithTraces(Config.Pcap).Packets;
    private IReadOnlyList<byte[]>? _checkPackets;

    /// <summary>Packets sampled from the live traffic in the last profile window (XDP), for the differential check.</summary>
    public IReadOnlyList<byte[]> LivePackets { get; private set; } = [];

    /// <summary>Reads the source, builds the original's object, and opens (or makes) the target.</summary>
    public static LiveTarget Open(TargetConfig config, string pinRoot)
    {
        if (InputName.IsSample(config.Source) && !SampleCatalog.TryGet(config.Source[InputName.SamplePrefix.Length..], out _))
            throw new InvalidInputException($"target '{config.Name}': no bundled sample '{config.Source}'; the samples are {InputName.SampleList}");
        // A file that is a copy of a sample stays the user's program here (its own traffic, not the sample's, checks it).
        var input = ProgramInput.Read(config.Source, [.. config.ClangFlags], programName: config.Program, recognizeSamples: InputName.IsSample(config.Source));
        var resolved = config.StageSlot is { } slot
            ? TargetResolver.Resolve(new ProgramArraySlotHook(BpfLoadedMap.OpenById(slot.MapId), slot.Slot), input, pinRoot)
            : TargetResolver.Resolve(Selector(config), input, pinRoot);
        var live = new LiveTarget(config, resolved);
        try
        {
            // A program on the hook that the configured source did not build is not ours to replace: refuse here, and
            // the worker keeps retrying without touching it.
            _ = live.Original;
            // A profile window an earlier run left open in its specialized program closes now (else at its end).
            if (live.Target.OptimizedId is { } optimized)
                ProfileMaps.CloseWindowOf(optimized);
            return live;
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    /// <summary>The hook a configured target names (a chain: its entry's).</summary>
    internal static TargetSelector Selector(TargetConfig config)
    {
        var ns = config.Netns is { } netns ? NetNamespace.Open(netns) : null;
        var iface = config.Interface ?? (config.Tc is not null ? config.TcParts.Interface : null);
        if (iface is not null)
            return new TargetSelector.Interface(iface, config.Attach ? null : pinned =>
                (pinned is { } id ? $" (the original program {id} is still pinned: someone detached it)" : "") +
                "; the configuration does not own the interface (\"attach\": true would load the source with empty maps and " +
                "attach it), so the daemon attaches nothing and waits for a program to be attached")
            {
                Tc = config.Tc is not null ? BpfTc.ParseDirection(config.TcParts.Direction) : null,
                Namespace = ns,
            };
        if (config.ProgramId is { } programId)
            return new TargetSelector.Program(programId) { Namespace = ns };
        return new TargetSelector.Pin(config.Pin!);
    }

    public void Dispose()
    {
        _profiler?.Dispose();
        _resolved.Dispose();
    }
}
