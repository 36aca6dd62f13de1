using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Execution;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Daemon;

/// <summary>
/// A configured target, opened: its hook and pins (<see cref="Target"/>), its IR, the original's object, and the
/// original itself when the daemon loaded and attached it (nothing was on an interface the configuration owns).
/// </summary>
public sealed class LiveTarget : IDisposable
{
    private LiveTarget(TargetConfig config, ProgramSource source, byte[] elf, string? programName, INetworkFunctionSample? sample)
    {
        Config = config;
        Source = source;
        OriginalElf = elf;
        ProgramName = programName;
        Sample = sample;
    }

    public TargetConfig Config { get; }
    public ProgramSource Source { get; }
    public byte[] OriginalElf { get; }
    public string? ProgramName { get; }
    /// <summary>The bundled sample the source is (<c>sample:NAME</c>), if any.</summary>
    public INetworkFunctionSample? Sample { get; }
    public Target Target { get; private set; } = null!;
    /// <summary>The original, when the daemon loaded it.</summary>
    public LoadedVariant? Loaded { get; private set; }
    private LoadedVariant? _standIn;
    private Profiler? _profiler;

    /// <summary>Programs of ours that share the target's maps (the instrumented copy), for the optimizer's trust.</summary>
    public IReadOnlySet<uint> Variants => _profiler is null ? new HashSet<uint>() : new HashSet<uint> { _profiler.Instrumented.Program.Info().Id };

    /// <summary>The original as a loaded program on the live maps: the one the daemon loaded, or the input loaded on
    /// the target's maps (matched by name) when another loader started the program, proved to be the program there
    /// (<see cref="ProgramIdentity"/>). Fallbacks and profiles use it.</summary>
    public LoadedVariant Original => Loaded ?? (_standIn ??= LiveOptimization.LoadStandIn(Target, OriginalElf, ProgramName, Config.Source));

    private static readonly TimeSpan CollectEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs the instrumented program on the hook for <paramref name="window"/> and returns the aged profile: swapped in
    /// for the program there now, then swapped back (both atomic; the instrumented program behaves exactly like the
    /// original). The profiler lives as long as the target, so counts age across windows.
    /// </summary>
    public async Task<Profile> ProfileAsync(TimeSpan window, CancellationToken stop)
    {
        _profiler ??= Profiler.Load(Source, Original, InstrumentationOptions.Live);
        var instrumented = ProgramRef.Of(_profiler.Instrumented.Program.Fd);
        Target.BeginProfiling(instrumented);
        try
        {
            _profiler.EndWindow(); // counts from before this window are not this traffic's
            // The keys are read every 100 ms, so that a CPU's ring (512 samples) does not wrap at up to ~650,000 packets
            // per second per CPU at the live rates (12.5 ms of every 100 sampled, one packet in 16 of those) with one
            // profiled lookup per packet; past that each read keeps the latest 512.
            var end = DateTime.UtcNow + window;
            for (var left = window; left > TimeSpan.Zero; left = end - DateTime.UtcNow)
            {
                await Task.Delay(left < CollectEvery ? left : CollectEvery, stop);
                _profiler.Collect();
            }
            _profiler.EndWindow();
        }
        finally
        {
            Target.EndProfiling(instrumented);
        }
        LivePackets = _profiler.RecentPackets();
        return _profiler.Snapshot();
    }

    /// <summary>Packets for the differential check, made once: a bundled sample's known frames and a trace; for other
    /// programs, mutated and random frames. The packets sampled from live traffic come on top (<see cref="LivePackets"/>).</summary>
    public IReadOnlyList<byte[]> DefaultCheckPackets => _checkPackets ??= MakeCheckPackets();
    private IReadOnlyList<byte[]>? _checkPackets;

    private IReadOnlyList<byte[]> MakeCheckPackets()
    {
        if (Sample is not { } sample)
            return PacketFuzzer.Generate([], 1000, seed: 1);
        var controlPlane = sample.GenerateControlPlane(1);
        return [.. sample.KnownPackets(controlPlane).Select(k => k.Frame), .. sample.GenerateTrace(controlPlane, Locality.High, 1000, 1)];
    }

    /// <summary>Packets sampled from the live traffic in the last profile window (XDP), for the differential check.</summary>
    public IReadOnlyList<byte[]> LivePackets { get; private set; } = [];

    /// <summary>Reads the source, builds the original's object, and opens (or makes) the target.</summary>
    public static LiveTarget Open(TargetConfig config, string pinRoot)
    {
        INetworkFunctionSample? sample = null;
        ProgramSource source;
        FrontEndOptions frontEnd;
        if (config.Source.StartsWith("sample:", StringComparison.Ordinal))
        {
            if (!SampleCatalog.TryGet(config.Source["sample:".Length..], out sample))
                throw new InvalidInputException($"target '{config.Name}': no bundled sample '{config.Source}'; the samples are " +
                                                string.Join(", ", SampleCatalog.All.Select(s => $"sample:{s.Name}")));
            frontEnd = SampleFiles.FrontEndOptions;
            source = SampleFiles.Read(sample);
        }
        else
        {
            frontEnd = new FrontEndOptions { ClangFlags = [.. config.ClangFlags] };
            source = ProgramSource.Read(config.Source, frontEnd);
        }
        var elf = source.Kind switch
        {
            SourceKind.EmbeddedBitcode => source.UserObject!,
            SourceKind.C => source.BuildBaselineObject(frontEnd),
            _ => Toolchain.Compile(source).Elf,
        };
        var live = new LiveTarget(config, source, elf, config.Program ?? sample?.ProgramName, sample);
        try
        {
            live.Target = live.OpenHook(pinRoot);
            // A program on the hook that the configured source did not build is not ours to replace: refuse here, and
            // the worker keeps retrying without touching it.
            _ = live.Original;
            return live;
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    private Target OpenHook(string pinRoot)
    {
        if (Config.Interface is { } iface)
        {
            var ifindex = BpfXdp.InterfaceIndex(iface);
            if (ProgramHook.ForInterface(ifindex) is { } hook)
                return Target.Open(hook, pinRoot);
            if (!Config.Attach)
                throw new KecleonException($"no XDP program is attached to {iface}" +
                                           (Target.PinnedOriginalId(iface, pinRoot) is { } pinned ? $" (the original program {pinned} is still pinned: someone detached it)" : "") +
                                           "; the configuration does not own the interface (\"attach\": true would load the source with empty maps and " +
                                           "attach it), so the daemon attaches nothing and waits for a program to be attached");
            Loaded = LoadedVariant.Load("original", OriginalElf, ProgramName);
            return Target.AttachPinned(Loaded.Program.Fd, ifindex, pinRoot);
        }
        if (Config.ProgramId is { } id)
            return Target.Find(id, pinRoot) ?? throw new KecleonException($"program {id} is not attached to any XDP hook");
        return Target.Open(XdpLinkHook.OpenPinned(Config.Pin!), pinRoot);
    }

    public void Dispose()
    {
        _profiler?.Dispose();
        Target?.Dispose();
        _standIn?.Dispose();
        Loaded?.Dispose();
    }
}
