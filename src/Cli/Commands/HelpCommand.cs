using System.CommandLine;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon help [TOPIC]</c>: short texts on what the options of every command share, each pointing to its doc.
/// The topics are data here and nowhere else: the command, its list and its completions read this table.</summary>
internal static class HelpCommand
{
    /// <summary>Each topic: its name, a one-line summary for the list, and its text.</summary>
    internal static readonly IReadOnlyList<(string Name, string Summary, Func<string> Text)> Topics =
    [
        ("inputs", "the forms a program input takes, on every command", () => $"""
            Every command that takes a program (analyze, compile, run, optimize, profile, bench, diff, and the
            daemon configuration's "source") takes it in any of these forms:

              prog.bpf.c          C source, compiled with clang-14 (-O2 -g -target bpf); add flags with --cflag
              prog.ll, prog.bc    LLVM IR, textual or bitcode, with debug metadata (-g)
              prog.o              a BPF object built with -fembed-bitcode (its .llvmbc section holds the IR)
              sample:NAME         a bundled sample: {string.Join(", ", SampleCatalog.All.Select(s => s.Name))}

            C in a samples tree (samples/router/router.bpf.c) compiles with the samples' headers, as sample:router does.
            `kecleon sample list` shows where the bundled samples are. An unknown sample exits 64, a missing file 66.
            """),
        ("exit-codes", "what each exit code means", () => """
            0   done
            1   failed, with the reason (a regression or mismatch found, no daemon answering, a target not attached)
            64  usage: the command line is wrong (an unknown option or value, a number out of range, an unknown sample)
            65  bad input: a file does not parse, compile or make sense, or is not the program on the hook
            66  an input file is missing, unreadable or a folder
            69  a native library or tool is missing (libLLVM-14, libbpf, clang-14, graphviz dot)
            70  internal error: a bug in Kecleon (KECLEON_DEBUG=1 shows the stack trace)
            73  an output file cannot be written; folders are never created
            75  someone else swapped the program meanwhile; nothing changed: look again and retry
            77  no permission: run as root (or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)
            78  the kernel's verifier rejected a program (its log attached)
            """),
        ("maps", "the map contents your own program runs on", () => """
            A bundled sample brings its own control-plane data. Your own program runs (run, bench, profile, diff) on:

              --maps-from PROG_ID   copies of the maps of a loaded program (`bpftool prog show` gives the id)
              --maps-from PIN_DIR   copies of the maps pinned in a bpffs folder
              --maps FILE|DIR       `bpftool map dump -j` output, one file per map or one keyed by map name,
                                    or a folder `kecleon snapshot` wrote

            Without either, its maps are empty and a warning names them. `optimize` and the daemon read the live
            program's own maps. See docs/optimizer.md and docs/swap.md.
            """),
        ("json", "machine-readable output (--json)", () => """
            analyze, bench, optimize and status print JSON with --json: one JSON document on stdout, messages and
            progress on stderr. Each command's fields, and its JSON Schema, are in docs/json.md.
            """),
        ("daemon", "running Kecleon continuously, as a service", () => """
            `kecleon daemon --config FILE` profiles, specializes, checks and swaps every configured target continuously;
            `kecleon validate-config` checks the configuration and each target first; `kecleon status` asks a running
            daemon what it is doing and lists what one-shot `optimize` runs left swapped. packaging/install-service
            installs the hardened packaging/kecleon.service and packaging/kecleon.json as an example configuration.
            Metrics (Prometheus), logs and event ids: see docs/daemon.md.
            """),
    ];

    public static Command Create()
    {
        var topic = new Argument<string?>("topic") { Description = "The topic (without one, the list)", Arity = ArgumentArity.ZeroOrOne }
            .OneOf([.. Topics.Select(t => t.Name)]);
        var command = new Command("help", "Short help on a topic: " + string.Join(", ", Topics.Select(t => t.Name))) { topic };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            if (result.GetValue(topic) is not { } name)
            {
                Console.WriteLine("kecleon help TOPIC, where TOPIC is one of:");
                foreach (var t in Topics)
                    Console.WriteLine($"  {t.Name,-12} {t.Summary}");
                Console.WriteLine("kecleon COMMAND --help describes a command.");
                return ExitCodes.Success;
            }
            Console.WriteLine(Topics.Single(t => t.Name == name).Text());
            return ExitCodes.Success;
        }));
        return command;
    }
}
