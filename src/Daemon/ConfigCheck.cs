using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Daemon;

/// <summary>What <c>kecleon validate-config</c> says about one target: null problems when it is ready to run.</summary>
public sealed record TargetVerdict(string Name, IReadOnlyList<string> Checked, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks a configuration the daemon would start with, without touching any data plane: the file parses and
/// validates (<see cref="DaemonConfig.Load"/>), <c>pin_root</c> is on bpffs, and for each target its source reads and
/// compiles and its hook exists (the network namespace, the interface in it, the pinned link, the program id). It opens
/// nothing it could change and attaches nothing.
/// </summary>
public static class ConfigCheck
{
    /// <summary>The problems of the configuration as a whole (pin_root), then each target's verdict.</summary>
    public static (IReadOnlyList<string> Problems, IReadOnlyList<TargetVerdict> Targets) Check(DaemonConfig config)
    {
        var problems = new List<string>();
        if (BpfFs.Problem(config.PinRoot) is { } pinRoot)
            problems.Add($"pin_root: {pinRoot}");
        return (problems, config.Targets.Select(Check).ToList());
    }

    /// <summary>Checks one target (a chain: its source has every stage's program, found by name when the daemon reads the
    /// chain).</summary>
    public static TargetVerdict Check(TargetConfig target)
    {
        var ok = new List<string>();
        var problems = new List<string>();
        void Try(string what, Func<string> check)
        {
            try
            {
                ok.Add(check());
            }
            catch (Exception e) when (e is KecleonException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"{what}: {OneLine(e.Message)}");
            }
        }
        Try("source", () => Source(target));
        Try("hook", () => Hook(target));
        return new TargetVerdict(target.Name, ok, problems);
    }

    private static string Source(TargetConfig target)
    {
        // As the daemon reads it (LiveTarget.Open).
        var sample = InputName.IsSample(target.Source);
        if (sample && !SampleCatalog.TryGet(target.Source[InputName.SamplePrefix.Length..], out _))
            throw new InvalidInputException($"no bundled sample '{target.Source}'; the samples are {InputName.SampleList}");
        _ = ProgramInput.Read(target.Source, [.. target.ClangFlags], programName: target.Program, recognizeSamples: sample);
        return sample ? $"source {target.Source} builds" : $"source {target.Source} compiles";
    }

    private static string Hook(TargetConfig target)
    {
        if (target.ProgArray is { } progArray)
        {
            using var map = ChainStages.OpenProgArray(progArray);
            if (target.Slot is { } slot && slot >= map.MaxEntries)
                throw new InvalidInputException($"slot {slot} is past the end of PROG_ARRAY {map.Name} at {progArray} ({map.MaxEntries} slots)");
            return $"PROG_ARRAY {map.Name} pinned at {progArray}{Stages(target)}";
        }
        if (target.Chain)
            return HookExists(target) + Stages(target);
        return HookExists(target);
    }

    /// <summary>The chain as it runs now (read only), or why it cannot be read yet (not a failure: the daemon retries).</summary>
    private static string Stages(TargetConfig target)
    {
        try
        {
            return "; the chain now: " + string.Join(", ", ChainStages.Read(target).Select(s => $"{s.Program} ({s.Place})"));
        }
        catch (KecleonException e)
        {
            return $"; the chain cannot be read yet: {OneLine(e.Message)}";
        }
    }

    private static string HookExists(TargetConfig target)
    {
        if (target.Pin is { } pin)
        {
            if (!File.Exists(pin))
                throw new InputNotFoundException($"nothing is pinned at {pin}");
            using var pinned = BpfFd.OpenPinned(pin);
            return $"pin {pin} exists";
        }
        var ns = target.Netns is { } netns ? NetNamespace.Open(netns) : null;
        var where = ns is null ? "" : $" in netns {target.Netns}";
        if (target.ProgramId is { } id)
        {
            using var program = BpfFd.OpenProgramById(id);
            return $"program {id} is loaded";
        }
        var iface = target.Interface ?? target.TcParts.Interface;
        var index = ns is null ? BpfXdp.TryInterfaceIndex(iface) : ns.Run(() => BpfXdp.TryInterfaceIndex(iface));
        if (index <= 0)
            throw new InputNotFoundException($"no network interface named '{iface}'{where} (see `ip link`)");
        return $"interface {iface}{where} exists";
    }

    private static string OneLine(string message) => message.Split('\n', 2)[0].TrimEnd();
}
