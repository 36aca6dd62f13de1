using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Cli.Commands;

/// <summary>
/// <c>kecleon restore --attach IFACE [--tc ingress|egress] [--netns NAME|PATH] | --prog-id N | --pin PATH | --all
/// [--pin-root DIR]</c>: puts the data plane back exactly as the user's loader left it and removes everything Kecleon
/// created for the target (<see cref="RestoreSession"/>, docs/swap.md "Undo"). <c>optimize --restore</c> is the same.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var attach = new Option<string?>("--attach") { Description = "The interface whose XDP program (with --tc, its TC program) Kecleon swapped" };
        var tc = new Option<string?>("--tc") { Description = "With --attach: the interface's TC hook in this direction instead of XDP" };
        tc.AcceptOnlyFromAmong("ingress", "egress");
        var netns = new Option<string?>("--netns") { Description = "The network namespace (an `ip netns` name or a path such as /proc/PID/ns/net) of the --attach interface; with --prog-id, the one namespace to search" };
        var programId = new Option<uint?>("--prog-id") { Description = "The original program (or the optimized one that replaced it)" };
        var pin = new Option<string?>("--pin") { Description = "A pinned XDP or tcx bpf_link (or a pinned program that is attached somewhere)" };
        var all = new Option<bool>("--all") { Description = "Every target pinned under the pin root" };
        var programArray = new Option<string?>("--prog-array") { Description = "With --chain: a PROG_ARRAY (its pin or map id) whose stages Kecleon swapped" };
        var chain = new Option<bool>("--chain") { Description = "Every stage of the chain whose entry is the target (or of the --prog-array): the entry on its hook, the others in their slots" };
        var pinRoot = PinRootOption();
        var socket = DaemonSocketOption();
        var json = new Option<bool>("--json") { Description = "Print what was done as JSON" };
        var command = new Command("restore", "Put the original program back exactly as your loader left it and remove everything Kecleon created for the target")
        {
            attach, tc, netns, programId, pin, programArray, chain, all, pinRoot, socket, json,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var chosen = new[]
                {
                    result.GetValue(attach) is not null, result.GetValue(programId) is not null, result.GetValue(pin) is not null, result.GetValue(all),
                    result.GetValue(programArray) is not null,
                }
                .Count(b => b);
            if (chosen != 1)
                throw new UsageException("name the target with exactly one of --attach IFACE, --prog-id N, --pin PATH, --prog-array PIN|ID (with --chain) or --all");
            if (result.GetValue(chain) && result.GetValue(all))
                throw new UsageException("--all restores every target, the stages of every chain among them: --chain goes with --attach, --prog-id, --pin or --prog-array");
            if (result.GetValue(programArray) is { } array && !result.GetValue(chain))
                throw new UsageException("--prog-array goes with --chain (every stage it holds); one stage's original is restored with --prog-id ORIGINAL");
            if (result.GetValue(all) && result.GetValue(netns) is not null)
                throw new UsageException("--netns goes with --attach or --prog-id: --all restores the targets of every namespace");
            if (result.GetValue(programArray) is { } arrayPin && result.GetValue(netns) is not null)
                throw new UsageException("--netns goes with --attach or --prog-id: a PROG_ARRAY is not in a network namespace");
            var target = result.GetValue(all)
                ? null
                : result.GetValue(programArray) is { } chainArray
                    ? new TargetSelector.ProgramArraySlot(chainArray, null)
                    : Selector(result.GetValue(attach), result.GetValue(tc), result.GetValue(netns), result.GetValue(programId), result.GetValue(pin));
            return Run(target, result.GetValue(pinRoot)!, result.GetValue(socket)!, result.GetValue(json), result.GetValue(chain));
        }));
        return command;
    }

    public static Option<string> PinRootOption() =>
        new("--pin-root") { Description = "Where targets and the guard table are pinned", DefaultValueFactory = _ => Target.DefaultPinRoot };

    public static Option<string> DaemonSocketOption() =>
        new("--daemon-socket")
        {
            Description = "The running daemon's status socket: a target it manages is refused",
            DefaultValueFactory = _ => DaemonConfig.DefaultStatusSocket,
        };

    /// <summary>The target as the options name it, checked as <c>optimize</c> checks them.</summary>
    private static TargetSelector Selector(string? iface, string? tc, string? netns, uint? programId, string? pin)
    {
        if (tc is not null && iface is null)
            throw new UsageException("--tc names the TC hook of the --attach interface: give --attach IFACE with it");
        if (netns is not null && pin is not null)
            throw new UsageException("--netns goes with --attach or --prog-id: a pinned link names its own interface");
        if (pin is not null)
        {
            if (string.IsNullOrWhiteSpace(pin))
                throw new UsageException("--pin needs the path of a pinned bpf_link or program");
            CommandFiles.PinFolder(Path.GetDirectoryName(Path.GetFullPath(pin))!, "--pin");
        }
        Privileges.RequireBpf("restore");
        if (pin is not null && !File.Exists(pin))
            throw new InputNotFoundException($"--pin {pin}: no such pinned object");
        var space = netns is not null ? NetNamespace.Open(netns) : null;
        if (iface is not null && (iface.Length is 0 or >= 16 || iface.Contains('/') ||
                                  (space ?? NetNamespace.Current).Run(() => BpfXdp.TryInterfaceIndex(iface)) <= 0))
            throw new UsageException($"--attach: no network interface named '{iface}'{space?.InSuffix ?? ""} (see `ip {(space?.Name is { } n ? $"-n {n} " : "")}link`)");
        TargetSelector selector = iface is not null
            ? new TargetSelector.Interface(iface) { Tc = tc is null ? null : BpfTc.ParseDirection(tc) }
            : programId is { } id ? new TargetSelector.Program(id) : new TargetSelector.Pin(pin!);
        return selector with { Namespace = space };
    }

    /// <summary>Restores <paramref name="target"/> (null: every target under the pin root) and prints what was done.</summary>
    public static int Run(TargetSelector? target, string pinRoot, string daemonSocket, bool json, bool chain = false)
    {
        var root = CommandFiles.PinFolder(pinRoot, "--pin-root");
        Privileges.RequireBpf("restore");
        var daemon = new Lazy<DaemonSnapshot?>(() => RunningDaemon(daemonSocket));
        var report = RestoreSession.Run(new RestoreRequest(target, root) { ManagedBy = hook => ManagedBy(daemon.Value, hook), Chain = chain });
        if (json)
        {
            Console.WriteLine(JsonOutput.Render(RestoreJson.From(report, Path.Combine(root, "guards")), CliJson.Default.RestoreJson));
            return ExitCodes.Success;
        }
        if (report.Nothing is { } nothing)
            Console.WriteLine(nothing);
        foreach (var undone in report.Undone)
        {
            Console.WriteLine(undone.Swap is { } swap
                ? FormattableString.Invariant($"swapped program {swap.FromProgramId} -> {swap.ToProgramId} on {swap.Hook} in {swap.Latency.TotalMilliseconds:F2} ms")
                : $"{undone.Hook} runs the original program {undone.OriginalId}");
            if (undone.Detached)
                Console.WriteLine($"removed the link Kecleon had attached: the hook runs nothing, as before Kecleon attached program {undone.OriginalId}");
            if (undone.Removed.Count > 0)
                Console.WriteLine($"removed pins in {undone.Directory}: {string.Join(", ", undone.Removed)}");
        }
        if (report.Undone.Count == 0 && target is null)
            Console.WriteLine($"no target is pinned under {root}: nothing to restore");
        Console.WriteLine(report.GuardTableRemoved
            ? $"guards: no map is guarded any more; the guard table's hook and pins in {Path.Combine(root, "guards")} are removed"
            : report.GuardsRegistered > 0
                ? $"guards: {report.GuardsRegistered} map(s) still guarded for other targets"
                : "guards: no map is guarded");
        return ExitCodes.Success;
    }

    /// <summary>The exact command that undoes a target (printed after a swap): it runs as printed.</summary>
    public static string Hint(uint originalId, string pinRoot) =>
        "kecleon restore --prog-id " + originalId.ToString(CultureInfo.InvariantCulture) +
        (Path.TrimEndingDirectorySeparator(Path.GetFullPath(pinRoot)) == Target.DefaultPinRoot ? "" : " --pin-root " + Quote(pinRoot));

    private static string Quote(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '@' or '+' or ',' or ':') ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The daemon's status when one answers at <paramref name="socket"/>; null when none runs.</summary>
    private static DaemonSnapshot? RunningDaemon(string socket)
    {
        if (DaemonConfig.SocketPathProblem(socket) is { } problem)
            throw new UsageException($"--daemon-socket {problem}");
        if (!File.Exists(socket))
            return null;
        try
        {
            return StatusServer.Query(socket, TimeSpan.FromSeconds(5));
        }
        catch (NoPermissionException)
        {
            throw;
        }
        catch (KecleonException)
        {
            return null; // a stale socket: no daemon answers
        }
    }

    /// <summary>The daemon target running on <paramref name="hook"/>: the same hook, or the program on it is the one the
    /// daemon's target runs or started from.</summary>
    private static string? ManagedBy(DaemonSnapshot? daemon, ProgramHook hook)
    {
        if (daemon is null)
            return null;
        uint running;
        try
        {
            running = hook.CurrentProgramId();
        }
        catch (KecleonException)
        {
            running = 0;
        }
        return daemon.Targets.FirstOrDefault(t => t.Hook == hook.Description ||
                                                  running != 0 && (t.LiveProgramId == running || t.OriginalProgramId == running))?.Name;
    }
}

/// <summary><c>kecleon restore --json</c> (docs/schemas/restore.schema.json); also what <c>optimize --restore --json</c>
/// prints.</summary>
internal sealed record RestoreJson(string? Nothing, IReadOnlyList<RestoreJson.Target> Restored, RestoreJson.GuardState Guards, bool PinRootRemoved)
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = JsonOutput.SchemaVersion;

    public static RestoreJson From(RestoreReport report, string guardsFolder) => new(report.Nothing,
        report.Undone.Select(u => new Target(u.Hook, u.Directory, u.OriginalId,
            u.Swap is { } s ? new Swap(s.FromProgramId, s.ToProgramId, s.Latency.TotalMilliseconds) : null, u.Detached, u.Removed, u.GuardedMapIds)).ToList(),
        new GuardState(guardsFolder, report.GuardsRegistered, report.GuardTableRemoved), report.PinRootRemoved);

    public sealed record Target(string Hook, string PinDirectory, uint OriginalProgramId, Swap? Swap, bool DetachedKecleonLink,
        IReadOnlyList<string> RemovedPins, IReadOnlyList<uint> ReleasedGuardMapIds);

    public sealed record Swap(uint FromProgramId, uint ToProgramId, double LatencyMs);

    public sealed record GuardState(string PinDirectory, int StillGuarded, bool Removed);
}
