using System.CommandLine;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon run</c>: compile, load into the kernel, run one packet with BPF_PROG_TEST_RUN.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var options = new CompileOptions();
        var packet = new Option<string>("--packet") { Description = "A packet: a raw Ethernet frame file or a pcap file", Required = true };
        var index = new Option<int>("--index") { Description = "Which packet of a pcap file (from 0)" }.Within(0, int.MaxValue);
        var repeat = new Option<int>("--repeat") { Description = "How many times the kernel runs it (time is the mean)", DefaultValueFactory = _ => 1 }
            .Within(1, int.MaxValue);
        var program = new Option<string?>("--program") { Description = "Which program of the object to run (default: the only XDP/TC one)" };
        var baseline = new Option<bool>("--baseline") { Description = "Run what the user would load without Kecleon (clang's object, or the given object)" };
        var maps = new MapOptions();
        var command = new Command("run", "Load an eBPF program into the kernel and run one packet through it");
        options.AddTo(command);
        maps.AddTo(command);
        command.Options.Add(packet);
        command.Options.Add(index);
        command.Options.Add(repeat);
        command.Options.Add(program);
        command.Options.Add(baseline);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var frame = PacketFile.Read(CommandFiles.Input(result.GetValue(packet)!, "a packet (raw frame or pcap)"), result.GetValue(index));
            var input = options.Resolve(result);
            var source = input.Read();
            Privileges.RequireBpf("run");
            var mapSource = maps.Source(result);
            var useBaseline = result.GetValue(baseline);
            var elf = useBaseline ? source.BuildBaselineObject(input.FrontEnd) : Toolchain.Compile(source, options.CodeGen(result)).Elf;
            using var obj = BpfObject.Open(elf, source.Name);
            var (controlPlane, _) = MapOptions.ControlPlane(mapSource, obj);
            obj.Load();
            obj.Apply(controlPlane);
            var run = PacketRunner.Run(PacketRunner.SelectProgram(obj, result.GetValue(program)), frame, result.GetValue(repeat));
            Print(run, useBaseline ? "baseline object" : "compiled by kecleon");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(PacketRun run, string origin)
    {
        Console.WriteLine($"program  {run.Program} ({run.Type}, {origin})");
        Console.WriteLine($"verdict  {run.VerdictName} ({run.Verdict})");
        var changed = run.Rewritten
            ? run.Output.Length == run.Input.Length
                ? $"rewritten, {run.Input.Zip(run.Output).Count(p => p.First != p.Second)} byte(s) differ"
                : $"rewritten, {run.Input.Length} -> {run.Output.Length} bytes"
            : "unchanged";
        Console.WriteLine($"output   {run.Output.Length} bytes, {changed}");
        Console.WriteLine(HexDump(run.Output));
        Console.WriteLine($"time     {run.NsPerRun} ns/run (kernel-measured mean over {run.Repeat} run(s))");
        if (run.TimedOnOwnOutput)
            Console.WriteLine("note     the program rewrote the packet and the kernel does not restore it between repeats, " +
                              "so runs after the first were timed on the program's own output");
    }

    private static string HexDump(byte[] bytes)
    {
        var lines = new List<string>();
        for (var offset = 0; offset < bytes.Length; offset += 16)
        {
            var chunk = bytes.AsSpan(offset, Math.Min(16, bytes.Length - offset));
            lines.Add($"         {offset:x4}  {Convert.ToHexString(chunk).ToLowerInvariant().Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + " " + b)}");
        }
        return string.Join('\n', lines);
    }
}
