using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Runtime.Workloads;

namespace Kecleon.Daemon;

/// <summary>
/// A configured target, opened: its hook and pins (<see cref="Target"/>), its IR, the original's object, and the
/// original itself when the daemon loaded and attached it (nothing was on the interface).
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
    /// <summary>The original, when the daemon loaded it; otherwise the input is loaded on the target's maps each cycle.</summary>
    public LoadedVariant? Loaded { get; private set; }

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
            Loaded = LoadedVariant.Load("original", OriginalElf, ProgramName);
            return Target.AttachPinned(Loaded.Program.Fd, ifindex, pinRoot);
        }
        if (Config.ProgramId is { } id)
            return Target.Find(id, pinRoot) ?? throw new KecleonException($"program {id} is not attached to any XDP hook");
        return Target.Open(XdpLinkHook.OpenPinned(Config.Pin!), pinRoot);
    }

    public void Dispose()
    {
        Target?.Dispose();
        Loaded?.Dispose();
    }
}
