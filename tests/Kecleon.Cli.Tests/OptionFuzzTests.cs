using System.Collections.Concurrent;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Every command's every option, given bad values (negative, huge, not a number, empty, missing, unknown, a missing
/// file, a folder instead of a file, files of the wrong format), through the real <c>kecleon</c> binary: the exit code is
/// always one of the documented ones (docs/usage.md "Exit codes"), never 70 (a bug) or a signal, and no stack trace is printed.
/// Each command's base arguments end in a cheap failure (a missing profile, a live demo of a sample it does not run, ...)
/// so that a value the command accepts does not start a long kernel run.
/// </summary>
// As root, runs every command through to where its first bad value stops it, some after loading a program; 457 runs
// of the real binary also take far longer than the fast tier allows.
[Trait("Tier", "Kernel")]
public sealed class OptionFuzzTests(ITestOutputHelper output)
{
    /// <summary>The exit codes docs/usage.md documents.</summary>
    private static readonly int[] Documented =
    [
        ExitCodes.Success, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.BadInput, ExitCodes.NoInput, ExitCodes.Unavailable,
        ExitCodes.CannotCreate, ExitCodes.Conflict, ExitCodes.NoPermission, ExitCodes.Rejected,
    ];

    private enum Kind { Number, Text, InputFile, OutputFile, Choice }

    private sealed record Spec(string[] Verb, string[] Positionals, Kind[] PositionalKinds, (string Name, string Value)[] Base,
        (string Name, Kind Kind)[] Options);

    private static readonly Fixtures Files = new();

    /// <summary>Each command with base arguments that fail (or finish) quickly, its positionals and its options.</summary>
    private static readonly Dictionary<string, Spec> Commands = new()
    {
        ["compile"] = new(["compile"], [Files.Program], [Kind.InputFile], [("-o", Files.Output(".o"))],
            [("-o", Kind.OutputFile), ("--cpu", Kind.Choice), ("--passes", Kind.Text), ("--cflag", Kind.Text)]),
        ["run"] = new(["run"], [Files.Program], [Kind.InputFile], [("--packet", Files.Packet)],
            [("--packet", Kind.InputFile), ("--index", Kind.Number), ("--repeat", Kind.Number), ("--program", Kind.Text)]),
        ["analyze"] = new(["analyze"], [Files.Program], [Kind.InputFile], [],
            [("--dot", Kind.OutputFile), ("--svg", Kind.OutputFile), ("--profile", Kind.InputFile), ("--written-elsewhere", Kind.Text), ("--cflag", Kind.Text)]),
        // An unwritable --report fails before the samples are compiled (the traces they read: see diff, run).
        ["bench"] = new(["bench"], [], [], [("--report", "/nonexistent/kecleon-fuzz/r.html")],
            [("--sample", Kind.Text), ("--locality", Kind.Text), ("--seed", Kind.Number), ("--packets", Kind.Number), ("--pcap", Kind.InputFile),
             ("--rounds", Kind.Number), ("--loads", Kind.Number), ("--check", Kind.InputFile), ("--report", Kind.OutputFile), ("--profile", Kind.InputFile), ("--program", Kind.Text),
             ("--report-md", Kind.OutputFile), ("--report-csv", Kind.OutputFile), ("--junit", Kind.OutputFile), ("--summary-md", Kind.OutputFile)]),
        // An unwritable --out fails before the sample is compiled.
        ["profile"] = new(["profile"], [], [], [("--out", "/nonexistent/kecleon-fuzz/p.json")],
            [("--sample", Kind.Text), ("--locality", Kind.Text), ("--seed", Kind.Number), ("--packets", Kind.Number), ("--pcap", Kind.InputFile),
             ("--program", Kind.Text), ("--windows", Kind.Number), ("--sample-shift", Kind.Number), ("--branch-sample-shift", Kind.Number), ("--replays", Kind.Number),
             ("--top", Kind.Number), ("--out", Kind.OutputFile), ("--cflag", Kind.Text)]),
        // No packets (no --trace, --sample or --fuzz) is a usage error once both inputs are read.
        ["diff"] = new(["diff"], [Files.Program, Files.Program], [Kind.InputFile, Kind.InputFile], [],
            [("--trace", Kind.InputFile), ("--sample", Kind.Text), ("--locality", Kind.Text), ("--seed", Kind.Number), ("--packets", Kind.Number),
             ("--fuzz", Kind.Number), ("--maps-every", Kind.Number), ("--program", Kind.Text)]),
        ["sample list"] = new(["sample", "list"], [], [], [], [("--seed", Kind.Number)]),
        // /tmp is not bpffs: a usage error before anything is loaded.
        ["sample load"] = new(["sample", "load"], ["router"], [Kind.Text], [("--pin-dir", Path.GetTempPath())],
            [("--seed", Kind.Number), ("--prog-id", Kind.Number), ("--pin-dir", Kind.Text)]),
        ["sample trace"] = new(["sample", "trace"], ["router"], [Kind.Text], [("-o", "/nonexistent/kecleon-fuzz/t.pcap")],
            [("--locality", Kind.Text), ("--seed", Kind.Number), ("--packets", Kind.Number), ("-o", Kind.OutputFile)]),
        // The live demo runs the router only: any other sample is a usage error.
        ["demo"] = new(["demo"], [], [], [("--sample", "switch")],
            [("--sample", Kind.Text), ("--locality", Kind.Text), ("--packets", Kind.Number), ("--rounds", Kind.Number)]),
        // A --pin-root off bpffs is a usage error before the input is compiled.
        ["optimize"] = new(["optimize"], [Files.Program], [Kind.InputFile], [("--prog-id", "4000000000"), ("--pin-root", Path.GetTempPath())],
            [("--attach", Kind.Text), ("--prog-id", Kind.Number), ("--pin", Kind.Text), ("--program", Kind.Text), ("--check-packets", Kind.Number),
             ("--seed", Kind.Number), ("--pin-root", Kind.Text), ("--profile", Kind.InputFile), ("--verifier-budget", Kind.Number)]),
        ["daemon"] = new(["daemon"], [], [], [("--config", "/nonexistent/kecleon-fuzz/kecleon.json")], [("--config", Kind.InputFile)]),
        ["status"] = new(["status"], [], [], [("--socket", Path.Combine(Path.GetTempPath(), "kecleon-fuzz-no-daemon.sock"))], [("--socket", Kind.Text)]),
    };

    public static TheoryData<string> CommandNames() => [.. Commands.Keys];

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Bad_values_for_every_option_get_a_documented_exit_code_and_no_stack_trace(string command)
    {
        var nonexistentBefore = Directory.Exists("/nonexistent");
        var cases = Cases(Commands[command]).ToList();
        var failures = new ConcurrentBag<string>();
        var codes = new ConcurrentDictionary<int, int>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, args =>
        {
            var r = KecleonProcess.Run(args);
            codes.AddOrUpdate(r.ExitCode, 1, (_, n) => n + 1);
            if (Problem(r) is { } problem)
                failures.Add($"kecleon {Show(args)}: {problem}\n{r.Output.Trim()}");
        });
        output.WriteLine($"{cases.Count} runs of kecleon {command}; exit codes: " +
                         string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key} x{c.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} runs misbehaved:\n\n" + string.Join("\n\n", failures));
        Assert.Equal(nonexistentBefore, Directory.Exists("/nonexistent")); // no output folder was made
    }

    [Fact]
    public void Commands_that_do_not_exist_options_without_a_command_and_help_are_handled()
    {
        string[][] cases =
        [
            [], ["nosuch"], ["--bogus"], ["--help"], ["--version"], ["-h"], ["sample"], ["sample", "nosuch"],
            .. Commands.Values.Select(s => (string[])[.. s.Verb, "--help"]),
        ];
        foreach (var args in cases)
        {
            var r = KecleonProcess.Run(args);
            Assert.True(Problem(r) is null, $"kecleon {Show(args)}: {Problem(r)}\n{r.Output}");
            Assert.True(args.Contains("--help") || args.Contains("-h") || args.Contains("--version") || r.ExitCode == ExitCodes.Usage,
                $"kecleon {Show(args)} exited {r.ExitCode}, expected {ExitCodes.Usage}");
        }
    }

    /// <summary>What is wrong with a run, or null.</summary>
    private static string? Problem(KecleonProcess.Result r)
    {
        if (r.ExitCode == ExitCodes.Internal)
            return "exit 70: an internal error";
        if (r.ExitCode > 128)
            return $"exit {r.ExitCode}: killed by signal {r.ExitCode - 128}";
        if (!Documented.Contains(r.ExitCode))
            return $"exit {r.ExitCode} is not a documented exit code";
        if (r.Output.Contains("   at ") || r.Output.Contains("Unhandled exception"))
            return "a stack trace was printed";
        if (r.ExitCode != ExitCodes.Success && !r.Stderr.StartsWith("kecleon: ", StringComparison.Ordinal))
            return "a failure that does not start with \"kecleon: \" on stderr";
        return null;
    }

    private static IEnumerable<string[]> Cases(Spec spec)
    {
        // Each option: every bad value of its kind, and no value at all (the option last).
        foreach (var (name, kind) in spec.Options)
        {
            foreach (var value in BadValues(kind))
                yield return Build(spec, spec.Positionals, name, value);
            yield return [.. Build(spec, spec.Positionals, name, null), name];
        }
        // Each positional: every bad value of its kind, and the positional left out.
        for (var i = 0; i < spec.Positionals.Length; i++)
        {
            foreach (var value in BadValues(spec.PositionalKinds[i]))
            {
                var positionals = (string[])spec.Positionals.Clone();
                positionals[i] = value;
                yield return Build(spec, positionals, null, null);
            }
            yield return Build(spec, spec.Positionals[..i], null, null);
        }
        yield return [.. Build(spec, spec.Positionals, null, null), "--bogus"];
        yield return [.. Build(spec, spec.Positionals, null, null), "--bogus=1"];
        yield return [.. Build(spec, spec.Positionals, null, null), "extra-argument"];
    }

    /// <summary>The verb, the positionals, the base options with <paramref name="option"/> set to <paramref name="value"/>
    /// (or left out when <paramref name="value"/> is null).</summary>
    private static string[] Build(Spec spec, string[] positionals, string? option, string? value)
    {
        var args = new List<string>(spec.Verb);
        args.AddRange(positionals);
        var aliases = option is "-o" or "--output" ? ["-o", "--output"] : new[] { option };
        foreach (var (name, baseValue) in spec.Base)
            if (!aliases.Contains(name))
                args.AddRange([name, baseValue]);
        if (option is not null && value is not null)
            args.AddRange([option, value]);
        return [.. args];
    }

    private static IEnumerable<string> BadValues(Kind kind) => kind switch
    {
        Kind.Number => ["-1", "0", "2147483648", "abc"],
        Kind.Text => ["", "all", "/nonexistent/kecleon-fuzz/x", "../.."],
        Kind.Choice => ["v9", "", "all"],
        Kind.OutputFile => ["/nonexistent/kecleon-fuzz/out", Files.Folder, ""],
        _ => Files.BadInputs,
    };

    private static string Show(IEnumerable<string> args) =>
        string.Join(' ', args.Select(a => a.Length == 0 ? "''" : a.Length > 60 ? a[..20] + $"…({a.Length} chars)" : a));

    /// <summary>The files the cases name: a good program and packet, and inputs of every wrong kind.</summary>
    private sealed class Fixtures
    {
        public string Folder { get; } = Directory.CreateDirectory(TestEnvironment.TempFile("", "fuzz")).FullName;
        public string Program { get; }
        public string Packet { get; }
        public string[] BadInputs { get; }

        public Fixtures()
        {
            Program = Write("prog.c", Programs.Prelude + "\nSEC(\"xdp\") int pass(struct xdp_md *ctx) { return XDP_PASS; }\n");
            Packet = Write("frame.bin", Programs.Frame(0x0800));
            BadInputs =
            [
                "/nonexistent/kecleon-fuzz/in.c",
                Folder,
                Write("empty.c", ""),
                Write("garbage.o", [.. Enumerable.Range(0, 256).Select(i => (byte)(i * 37))]),
                Write("garbage.ll", "define i32 @f( {"),
                Write("object.json", "{}"),
                Write("trace.pcapng", PcapFiles.Pcapng()),
                Write("zero-frame.pcap", PcapFiles.Classic([[]])),
            ];
        }

        public string Output(string extension) => Path.Combine(Folder, "out" + extension);

        private string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

        private string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(Folder, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
    }
}

/// <summary>Capture files written byte by byte, including the malformed kinds a reader must refuse.</summary>
internal static class PcapFiles
{
    /// <summary>A classic little-endian microsecond pcap of Ethernet frames; <paramref name="originalLength"/> overrides
    /// each record's original length (a record may claim more captured bytes than the packet had).</summary>
    public static byte[] Classic(IEnumerable<byte[]> frames, int? originalLength = null)
    {
        var bytes = new List<byte>();
        void U32(uint v) => bytes.AddRange(BitConverter.GetBytes(v));
        void U16(ushort v) => bytes.AddRange(BitConverter.GetBytes(v));
        U32(0xa1b2c3d4);
        U16(2);
        U16(4);
        U32(0);
        U32(0);
        U32(262144);
        U32(1);
        foreach (var frame in frames)
        {
            U32(0);
            U32(0);
            U32((uint)frame.Length);
            U32((uint)(originalLength ?? frame.Length));
            bytes.AddRange(frame);
        }
        return [.. bytes];
    }

    /// <summary>A pcapng file: a Section Header Block, an Interface Description Block, one Enhanced Packet Block.</summary>
    public static byte[] Pcapng()
    {
        var bytes = new List<byte>();
        void U32(uint v) => bytes.AddRange(BitConverter.GetBytes(v));
        void U16(ushort v) => bytes.AddRange(BitConverter.GetBytes(v));
        U32(0x0a0d0d0a); U32(28); U32(0x1a2b3c4d); U16(1); U16(0); U32(0xffffffff); U32(0xffffffff); U32(28);
        U32(1); U32(20); U16(1); U16(0); U32(262144); U32(20);
        var frame = Programs.Frame(0x0800);
        U32(6); U32((uint)(32 + frame.Length)); U32(0); U32(0); U32(0); U32((uint)frame.Length); U32((uint)frame.Length);
        bytes.AddRange(frame);
        U32((uint)(32 + frame.Length));
        return [.. bytes];
    }
}
