using System.CommandLine;
using System.Globalization;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary>
/// <c>kecleon optimize INPUT --attach IFACE [--tc ingress|egress] | --prog-id N | --pin PATH [--netns NAME|PATH] [--restore]</c>:
/// one analyze, specialize, verify, swap cycle against a live XDP or TC program, or the swap back. What it swaps in stays in place after it exits: the target's
/// pins (docs/swap.md) and the pinned guard table keep the optimized program attached and guarded.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var compile = new CompileOptions();
        var attach = new Option<string?>("--attach") { Description = "The interface: its XDP program (with --tc, its TC program) is the target; if it has none, load INPUT and attach it with a pinned bpf_link (tcx for TC)" };
        var tc = new Option<string?>("--tc") { Description = "With --attach: the interface's TC hook in this direction (a tcx link or a cls_bpf filter) instead of XDP" };
        tc.OneOf("ingress", "egress");
        var netns = new Option<string?>("--netns") { Description = "The network namespace (an `ip netns` name or a path such as /proc/PID/ns/net) of the --attach interface; with --prog-id, the one namespace to search" };
        var programId = new Option<uint?>("--prog-id") { Description = "The loaded program to optimize (found on its XDP or tcx link, or its netlink XDP attachment or cls_bpf filter, in any network namespace)" };
        var pin = new Option<string?>("--pin") { Description = "A pinned XDP or tcx bpf_link (or a pinned program that is attached somewhere)" };
        var programArray = new Option<string?>("--prog-array") { Description = "A PROG_ARRAY (its pin or map id) whose --slot N holds the stage to optimize (with --chain: every stage it holds)" };
        var slot = new Option<uint?>("--slot") { Description = "With --prog-array: the slot whose program is the target, swapped there by a map update" };
        var chain = new Option<bool>("--chain") { Description = "Every stage of the chain whose entry is the target (and of the PROG_ARRAYs it tail-calls through), each optimized where it runs: the entry on its hook, the others in their slots" };
        var restore = new Option<bool>("--restore") { Description = "Undo instead, as `kecleon restore` does: the original back on its hook, everything Kecleon created removed" };
        var json = new Option<bool>("--json") { Description = "Print what was done as JSON (docs/json.md)" };
        var program = new Option<string?>("--program") { Description = "Which program of INPUT (default: the sample's, or the only one)" };
        var packets = new Option<int>("--check-packets") { Description = "Packets for the differential check", DefaultValueFactory = _ => 1000 }
            .Within(1, OptionRange.MaxPackets);
        var seed = SampleOptions.Seed();
        var profile = new Option<string?>("--profile") { Description = "A profile recorded with `kecleon profile --out p.json`: hot keys get fast paths, branches its weights" };
        var pcap = new Option<string[]>("--pcap")
        {
            Description = "A trace of your traffic (pcap) whose frames the differential check runs too; repeat for several",
            AllowMultipleArgumentsPerToken = false,
        };
        var verifierBudget = new Option<int>("--verifier-budget")
        {
            Description = "Instructions the verifier may process for the specialized program as loaded (default: half its limit of 1,000,000); " +
                          "over it, the sites with the fewest profile hits per verifier cost are left to the kernel and it is loaded again",
            DefaultValueFactory = _ => OptimizeOptions.Default.VerifierTarget,
        }.Within(1, OptimizeOptions.Default.VerifierLimit);
        var emit = new Option<string?>("--emit") { Description = "Also write the specialized object to FILE as it is swapped in, with its IR and a note on its guard and fallback maps (docs/swap.md), for analyze, diff and bench" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Specialize and check, then stop: nothing is swapped or pinned (with --emit, see what would be swapped in)" };
        var fuse = new Option<bool>("--fuse")
        {
            Description = "Fuse the chain behind the program on the hook: a tail call into a PROG_ARRAY slot whose program is one of INPUT's " +
                          "is inlined, and the PROG_ARRAY guarded (an update of it sends packets to the original chain); docs/optimizer.md",
        };
        var pinRoot = RestoreCommand.PinRootOption();
        var command = new Command("optimize", "Optimize a live XDP or TC program on its current maps, check it, and swap it in atomically (or --restore the original)")
        {
            attach, tc, netns, programId, pin, programArray, slot, chain, restore, json, program, packets, seed, pinRoot, profile, pcap, emit, dryRun, verifierBudget, fuse,
        };
        compile.AddTo(command);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var chosen = new[] { result.GetValue(attach) is not null, result.GetValue(programId) is not null, result.GetValue(pin) is not null, result.GetValue(programArray) is not null }
                .Count(b => b);
            if (chosen != 1)
                throw new UsageException("name the target with exactly one of --attach IFACE, --prog-id N, --pin PATH or --prog-array PIN|ID --slot N");
            var wholeChain = result.GetValue(chain);
            if (result.GetValue(slot) is not null && result.GetValue(programArray) is null)
                throw new UsageException("--slot names a slot of the --prog-array PROG_ARRAY: give --prog-array PIN|ID with it");
            if (result.GetValue(programArray) is not null && result.GetValue(slot) is null && !wholeChain)
                throw new UsageException("--prog-array names a PROG_ARRAY: give --slot N for the stage in one slot, or --chain for every stage it holds");
            if (wholeChain && result.GetValue(slot) is not null)
                throw new UsageException("--chain optimizes every stage; --slot names one: give one of them");
            if (wholeChain && (result.GetValue(emit) is not null || result.GetValue(program) is not null))
                throw new UsageException($"--chain picks each stage's program by its name and emits nothing: {(result.GetValue(emit) is not null ? "--emit" : "--program")} goes with one target (--prog-array PIN|ID --slot N for one stage)");
            if (wholeChain && result.GetValue(json))
                throw new UsageException("--json with --chain: not supported yet; the text names each stage and what was done to it (one stage at a time, --prog-array PIN|ID --slot N, prints JSON)");
            if (result.GetValue(netns) is not null && result.GetValue(programArray) is not null)
                throw new UsageException("--netns goes with --attach or --prog-id: a PROG_ARRAY is not in a network namespace");
            var input = compile.Resolve(result).Name;
            if (result.GetValue(restore) && (result.GetValue(emit) is not null || result.GetValue(dryRun)))
                throw new UsageException("--emit and --dry-run go with an optimization, not --restore");
            var emitPath = result.GetValue(emit) is { } emitted ? CommandFiles.Output(emitted, "--emit") : null;
            var root = CommandFiles.PinFolder(result.GetValue(pinRoot)!, "--pin-root");
            var profilePath = result.GetValue(profile) is { } given && !result.GetValue(restore) ? CommandFiles.Input(given, "a profile (JSON)") : null;
            if (result.GetValue(tc) is not null && result.GetValue(attach) is null)
                throw new UsageException("--tc names the TC hook of the --attach interface: give --attach IFACE with it (--prog-id and --pin find TC programs by themselves)");
            if (result.GetValue(netns) is not null && result.GetValue(pin) is not null)
                throw new UsageException("--netns goes with --attach or --prog-id: a pinned link names its own interface");
            if (result.GetValue(attach) is { } ownIface && result.GetValue(netns) is null && !InterfaceExists(ownIface, null))
                throw new UsageException($"--attach: no network interface named '{ownIface}' (see `ip link`)");
            Privileges.RequireBpf("optimize"); // first: bpffs folders are root's, so a missing pin may only be unreadable
            // Entering another namespace needs the privileges: its interface is checked after them.
            var space = result.GetValue(netns) is { } nsName ? NetNamespace.Open(nsName) : null;
            if (space is not null && result.GetValue(attach) is { } iface && !InterfaceExists(iface, space))
                throw new UsageException($"--attach: no network interface named '{iface}'{space.InSuffix} (see `ip {(space.Name is { } n ? $"-n {n} " : "")}link`)");
            if (result.GetValue(pin) is { } pinPath)
            {
                if (string.IsNullOrWhiteSpace(pinPath))
                    throw new UsageException("--pin needs the path of a pinned bpf_link or program");
                CommandFiles.PinFolder(Path.GetDirectoryName(Path.GetFullPath(pinPath))!, "--pin");
                if (!File.Exists(pinPath))
                    throw new InputNotFoundException($"--pin {pinPath}: no such pinned object");
            }
            var target = (result.GetValue(programArray) is { } array
                ? new TargetSelector.ProgramArraySlot(array, result.GetValue(slot))
                : Selector(result.GetValue(attach), result.GetValue(programId), result.GetValue(pin), result.GetValue(restore), result.GetValue(dryRun))) with
            {
                Namespace = space,
            };
            if (target is TargetSelector.Interface onInterface && result.GetValue(tc) is { } direction)
                target = onInterface with { Tc = BpfTc.ParseDirection(direction) };
            if (result.GetValue(restore))
                return RestoreCommand.Run(target, root, Kecleon.Daemon.DaemonConfig.DefaultStatusSocket, result.GetValue(json), wholeChain);
            var request = new OptimizeRequest(input, target)
            {
                ClangFlags = result.GetValue(compile.ClangFlags) ?? [],
                CodeGen = compile.CodeGen(result),
                SpecializedCodeGen = compile.SpecializedCodeGen(result),
                ProgramName = result.GetValue(program),
                PinRoot = root,
                CheckPackets = result.GetValue(packets),
                VerifierTarget = result.GetValue(verifierBudget),
                Seed = result.GetValue(seed),
                ProfilePath = profilePath,
                PcapPaths = (result.GetValue(pcap) ?? []).Select(p => CommandFiles.Input(p, "a pcap file")).ToList(),
                DryRun = result.GetValue(dryRun),
                Emit = emitPath is not null,
                FuseChain = result.GetValue(fuse),
            };
            // --chain --fuse: the chain behind the target fused into it, one program; --chain alone: each stage on its own.
            if (wholeChain && !request.FuseChain)
                return ChainRun.Optimize(request, root);
            var run = new Run(result.GetValue(json), root);
            var report = OptimizeSession.Run(request, run.Progress);
            if (emitPath is not null && report.Emitted is { } elf)
            {
                CommandFiles.Write(emitPath, "--emit", p => File.WriteAllBytes(p, elf));
                run.Emitted(emitPath, report);
            }
            return run.Finish(report);
        }));
        return command;
    }

    /// <summary>The target as the options name it, with what to tell the user when its hook cannot be found.</summary>
    private static TargetSelector Selector(string? iface, uint? programId, string? pin, bool restore, bool dryRun)
    {
        if (iface is not null)
            return new TargetSelector.Interface(iface, restore ? _ => ": nothing to restore"
                : dryRun ? _ => ": --dry-run optimizes the program that runs there and changes nothing, so it does not load and attach INPUT; attach it first" : null);
        if (programId is { } id)
            return new TargetSelector.Program(id)
            {
                NotAttachedAdvice = _ => ". Attach it first, or give --attach IFACE (with --tc ingress|egress for TC) to load and attach the input",
            };
        return new TargetSelector.Pin(pin!)
        {
            NotAttachedAdvice = pinned => $", then run optimize with --prog-id {pinned.ToString(CultureInfo.InvariantCulture)} or --pin LINK",
        };
    }

    private static bool InterfaceExists(string name, NetNamespace? ns) =>
        name.Length is > 0 and < 16 && name is not "." and not ".." && !name.Contains('/') &&
        (ns ?? NetNamespace.Current).Run(() => BpfXdp.TryInterfaceIndex(name)) > 0;

    /// <summary>Reads a recorded profile, with a warning on stderr when it was taken on other IR (its sites may not be these).</summary>
    internal static Profile LoadRecordedProfile(string path, ProgramSource source)
    {
        var recorded = RecordedProfile.Load(path, source);
        WarnIfOtherIr(recorded);
        return recorded.Profile;
    }

    private static void WarnIfOtherIr(RecordedProfile recorded)
    {
        if (recorded.OtherIr)
            Console.Error.WriteLine($"kecleon: warning: {recorded.Path} was recorded on different IR ({recorded.Profile.IrHash}, this is {recorded.IrHash}); " +
                                    "its hot keys may not fit these sites (the guards and the check keep the result correct)");
    }

    /// <summary><c>--chain</c>: each stage told as one optimize tells its target, under a line naming the stage.</summary>
    private static class ChainRun
    {
        public static int Optimize(OptimizeRequest request, string pinRoot)
        {
            Run? stage = null;
            var report = ChainSession.Optimize(request, step =>
            {
                switch (step)
                {
                    case ChainProgress.ChainRead read:
                        Console.WriteLine($"chain from {read.Chain.Root}: {read.Chain.Stages.Count} stage(s)");
                        foreach (var line in read.Chain.Describe())
                            Console.WriteLine("  " + line);
                        foreach (var note in read.Notes)
                            Console.WriteLine("note: " + note);
                        break;
                    case ChainProgress.StageStarted started:
                        Console.WriteLine();
                        Console.WriteLine($"stage {started.Stage.Where}: program {started.Stage.ProgramId} ({started.Program})");
                        stage = new Run(false, pinRoot);
                        break;
                    case ChainProgress.StageStep { Step: var inner }:
                        stage!.Progress(inner);
                        break;
                    case ChainProgress.StageFinished finished:
                        stage!.Finish(finished.Report.Report);
                        break;
                }
            });
            Console.WriteLine();
            var swapped = report.Stages.Count(s => s.Report.Swap is not null);
            Console.WriteLine($"chain: {swapped} of {report.Stages.Count} stage(s) swapped" + (swapped > 0 && !request.DryRun
                ? $"; undo them all with `kecleon restore {RestoreArguments(request.Target)} --chain" +
                  (Path.TrimEndingDirectorySeparator(Path.GetFullPath(pinRoot)) == Target.DefaultPinRoot ? "" : $" --pin-root {pinRoot}") + "`"
                : ""));
            return ExitCodes.Success;
        }

        private static string RestoreArguments(TargetSelector target) => target switch
        {
            TargetSelector.Interface i => $"--attach {i.Name}" + (i.Tc is { } tc ? $" --tc {tc.Name()}" : "") + (i.Namespace is { Name: { } ns } ? $" --netns {ns}" : ""),
            TargetSelector.Program p => $"--prog-id {p.Id.ToString(CultureInfo.InvariantCulture)}",
            TargetSelector.Pin p => $"--pin {p.Path}",
            TargetSelector.ProgramArraySlot a => $"--prog-array {a.ProgramArray}",
            _ => "",
        };
    }

    /// <summary>What the command prints: lines as it goes, or one JSON object at the end.</summary>
    private sealed class Run(bool json, string pinRoot)
    {
        private readonly OptimizeJson _data = new();
        private readonly List<string> _notes = [];

        private void Say(string line)
        {
            _notes.Add(line);
            if (!json)
                Console.WriteLine(line);
        }

        public void Progress(OptimizeProgress step)
        {
            switch (step)
            {
                case OptimizeProgress.Attached a:
                    Say($"loaded the input as program {a.ProgramId} ({a.ProgramName}) and attached it to {a.Interface} with a pinned bpf_link");
                    break;
                case OptimizeProgress.TargetNote n:
                    Say(n.Note);
                    break;
                case OptimizeProgress.CheckPacketsMade c:
                    Say($"check packets: {c.Packets.Description}");
                    break;
                case OptimizeProgress.ProfileRead { Recorded: var recorded }:
                    WarnIfOtherIr(recorded);
                    var profile = recorded.Profile;
                    Say($"profile: {recorded.Path} ({profile.Packets} packets, {profile.Sites.Count} lookup sites, {profile.Branches.Count} branches)");
                    _data.Profile = recorded.Path;
                    break;
            }
        }

        public void Emitted(string path, OptimizeReport report)
        {
            _data.Emitted = path;
            Say($"wrote {path}: the specialized object {(report.Swap is null ? "that would be swapped in" : "swapped in")}, " +
                $"its IR in .llvmbc and a note on its guard ({Kecleon.Optimizer.Guards.GuardPrelude.GuardsMap}) and fallback " +
                $"({Kecleon.Optimizer.Guards.GuardPrelude.FallbackMap}) maps in {EmittedObject.NoteSection}");
        }

        public int Finish(OptimizeReport report)
        {
            if (report.DryRun && report.Optimization is { } checkedOnly)
            {
                _data.DryRun = true;
                _data.Specialized = checkedOnly.SpecializedAnything;
                Optimization(checkedOnly);
                Say($"dry run: checked, nothing swapped or pinned ({report.Target.HookDescription} still runs program {report.Target.CurrentId})");
            }
            else if (report.Optimization is not { } optimization)
            {
                Swap(report);
                _data.GuardsRegistered = report.Guards.Registered;
                Say($"guards: {report.Guards.Registered} map(s) still guarded; hook {(report.Guards.HookAttached ? "attached" : "detached")}");
            }
            else if (report.Swap is null)
            {
                Optimization(optimization);
                NothingSpecialized(report, optimization);
            }
            else
            {
                _data.Specialized = true;
                Optimization(optimization);
                Swap(report);
                _data.GuardHook = report.Guards.Mechanism;
                Say($"guard hook: {report.Guards.Mechanism}, pinned in {report.Guards.PinDirectory}");
                Say($"pinned: {report.Target.PinDirectory} ({string.Join(", ", PinsIn(report.Target.PinDirectory))}); " +
                    $"undo with `{RestoreCommand.Hint(report.Target.OriginalId, pinRoot)}`");
                _data.RestoreCommand = RestoreCommand.Hint(report.Target.OriginalId, pinRoot);
                if (report.LoadedNow)
                    Say("note: the program was loaded just now with empty maps and specialized on them; fill its maps " +
                        "(the guards send every packet to the original meanwhile) and run optimize again");
            }
            if (json)
            {
                _data.Notes = _notes;
                Console.WriteLine(JsonOutput.Render(_data, CliJson.Default.OptimizeJson));
            }
            return ExitCodes.Success;
        }

        private void Optimization(OptimizationReport report)
        {
            var t = report.Times;
            _data.Program = report.Program;
            _data.Steps = report.Steps.Select(s => new OptimizeJson.Step(s.Pass, s.What, s.Where, s.Applied)).ToList();
            _data.Maps = report.Snapshots.Select(s => new OptimizeJson.Map(s.Name, Kecleon.Maps.MapTypeNames.Of(s.Type), s.Entries.Count, s.GuardSlot, s.GuardVersion)).ToList();
            _data.InstructionsBefore = report.InstructionsBefore;
            _data.InstructionsAfter = report.InstructionsAfter;
            _data.StageMs = new OptimizeJson.Stages(t.Parse.TotalMilliseconds, t.Analyze.TotalMilliseconds, t.Snapshot.TotalMilliseconds,
                t.Passes.TotalMilliseconds, t.Optimize.TotalMilliseconds, t.CodeGen.TotalMilliseconds, t.Load.TotalMilliseconds, t.Check.TotalMilliseconds);
            _data.OtherWriters = report.OtherWriters.Programs.OrderBy(p => p.Key)
                .Select(p => new OptimizeJson.Writer(p.Key, report.OtherWriters.Names.GetValueOrDefault(p.Key, ""), p.Value)).ToList();
            _data.CheckPackets = report.Check?.Packets;
            _data.Mismatches = report.Check?.Mismatches.Count;
            if (json)
                return;
            Console.WriteLine($"optimized {report.Program}:");
            // The same refusal at many sites (a per-CPU stats map, say) prints once, with its count.
            foreach (var group in report.Steps.GroupBy(s => (s.Applied, s.Pass, s.What)))
            {
                var step = group.First();
                var count = group.Count();
                var where = step.Where + (count > 1 ? $" and {count - 1} more site(s)" : "");
                Console.WriteLine($"  {(step.Applied ? '+' : '-')} {step.Pass}: {step.What}{(where.Length > 0 ? $" ({where})" : "")}");
            }
            foreach (var s in report.Snapshots)
                Console.WriteLine($"  map {s.Name}: {s.Entries.Count} entries inlined, guard slot {s.GuardSlot} at version {s.GuardVersion}");
            if (report.Snapshots.Count == 0)
                Console.WriteLine("  no map was specialized");
            foreach (var (id, maps) in report.OtherWriters.Programs.OrderBy(p => p.Key))
                Console.WriteLine($"  program {id} ({report.OtherWriters.Names.GetValueOrDefault(id, "")}) may write {string.Join(", ", maps)}: not specialized on");
            Console.WriteLine($"  instructions (after the verifier): {report.InstructionsBefore} -> {report.InstructionsAfter}");
            Console.WriteLine(FormattableString.Invariant(
                $"  stages: parse {Ms(t.Parse)}, analyze {Ms(t.Analyze)}, snapshot {Ms(t.Snapshot)}, passes {Ms(t.Passes)}, optimize {Ms(t.Optimize)}, codegen {Ms(t.CodeGen)}, load {Ms(t.Load)}, check {Ms(t.Check)}"));
            if (report.Check is { } check)
                Console.WriteLine($"  check: {check.Packets} packets, {check.Mismatches.Count} mismatches");
        }

        /// <summary>No swap: the hook runs what it ran, and nothing was pinned.</summary>
        private void NothingSpecialized(OptimizeReport report, OptimizationReport optimization)
        {
            var reasons = optimization.LeftAlone;
            _data.Specialized = false;
            _data.OriginalProgramId = report.Target.OriginalId;
            _data.LeftAlone = reasons.Select(r => new OptimizeJson.LeftAloneMap(r.Map, r.Reason)).ToList();
            Say($"nothing to specialize: the original stays ({report.Target.HookDescription} still runs program {report.Target.CurrentId}; " +
                "no optimized program was swapped in or pinned)");
            foreach (var (_, reason) in reasons)
                Say($"  - {reason}");
        }

        private void Swap(OptimizeReport report)
        {
            var swap = report.Swap!;
            var how = swap.Kind switch
            {
                HookKind.XdpLink or HookKind.TcxLink => "BPF_LINK_UPDATE with BPF_F_REPLACE",
                HookKind.XdpNetlink => "bpf_xdp_attach with XDP_FLAGS_REPLACE",
                HookKind.TcFilter => "cls_bpf filter replaced in place by netlink",
                _ => "PROG_ARRAY update",
            };
            _data.Swap = new OptimizeJson.SwapDone(swap.Hook, how, swap.FromProgramId, swap.ToProgramId, swap.Latency.TotalMilliseconds);
            _data.OriginalProgramId = report.Target.OriginalId;
            _data.PinDirectory = report.Target.PinDirectory;
            Say(FormattableString.Invariant($"swapped program {swap.FromProgramId} -> {swap.ToProgramId} on {swap.Hook} ({how}) in {swap.Latency.TotalMilliseconds:F2} ms"));
        }

        /// <summary>The pins the target's folder holds now, as they are named there.</summary>
        private static IEnumerable<string> PinsIn(string directory) =>
            Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal) : [];

        private static string Ms(TimeSpan t) => FormattableString.Invariant($"{t.TotalMilliseconds:F1} ms");
    }
}
