using System.CommandLine;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon sample</c>: the bundled network functions, their control-plane data and their traffic.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var command = new Command("sample", "The bundled network functions: list them, load one with its control-plane data, write traffic");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Load());
        command.Subcommands.Add(Trace());
        return command;
    }

    private static Argument<string> Name() => new("name")
    {
        Description = $"The sample: {string.Join(", ", SampleCatalog.All.Select(s => s.Name))}",
    };

    private static Command List()
    {
        var seed = SampleOptions.Seed();
        var command = new Command("list", "List the samples and the control-plane data each ships") { seed };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            foreach (var sample in SampleCatalog.All)
            {
                var controlPlane = sample.GenerateControlPlane(result.GetValue(seed));
                Console.WriteLine($"{sample.Name,-9} {SampleFiles.SourceOf(sample)}");
                foreach (var map in controlPlane.MapNames)
                    Console.WriteLine($"          {map,-12} {controlPlane.Entries(map).Count,7} entries");
                if (sample.DataPlaneWrittenMaps.Count > 0)
                    Console.WriteLine($"          written by the data plane: {string.Join(", ", sample.DataPlaneWrittenMaps)}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Load()
    {
        var name = Name();
        var seed = SampleOptions.Seed();
        var programId = new Option<uint?>("--prog-id") { Description = "Write the control plane into the maps of this loaded program (matched by name)" };
        var pinDir = new Option<string?>("--pin-dir") { Description = "Load the sample and pin its program and maps here (default /sys/fs/bpf/kecleon/<name>)" };
        var attach = new Option<string?>("--attach") { Description = "Also attach the loaded program (a chain's entry) to this interface's XDP hook with a bpf_link, pinned as `link` in the pin folder" };
        var command = new Command("load", "Load a sample's control-plane data into its maps (loading the sample first unless --prog-id names one)")
        {
            name, seed, programId, pinDir, attach,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var sample = SampleOptions.One(result.GetValue(name)!, "sample load");
            if (result.GetValue(programId) is not null && (result.GetValue(pinDir) is not null || result.GetValue(attach) is not null))
                throw new UsageException($"--prog-id writes into a running program's maps and {(result.GetValue(pinDir) is not null ? "--pin-dir pins" : "--attach attaches")} a new one: give one of them");
            if (result.GetValue(attach) is { } iface && (iface.Length is 0 or >= 16 || iface.Contains('/') || BpfXdp.TryInterfaceIndex(iface) <= 0))
                throw new UsageException($"--attach: no network interface named '{iface}' (see `ip link`)");
            var dir = CommandFiles.PinFolder(result.GetValue(pinDir) ?? $"/sys/fs/bpf/kecleon/{sample.Name}", "--pin-dir");
            Privileges.RequireBpf("sample load");
            var controlPlane = sample.GenerateControlPlane(result.GetValue(seed));
            if (result.GetValue(programId) is { } id)
            {
                SampleLoader.IntoRunningProgram(id, controlPlane);
                Console.WriteLine($"wrote {controlPlane.TotalEntries} control-plane entries into program {id}'s maps");
                return ExitCodes.Success;
            }
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new UsageException($"{dir} already holds pinned objects: remove them (`rm -r {dir}`) or give another --pin-dir");
            if (result.GetValue(attach) is { } onto && ProgramHook.ForInterface(BpfXdp.InterfaceIndex(onto)) is { } running)
            {
                var message = $"--attach {onto}: {running.Description} runs program {running.CurrentProgramId()} already; detach it first";
                running.Dispose();
                throw new UsageException(message);
            }
            var loaded = SampleLoader.LoadAndPin(sample, controlPlane, dir, result.GetValue(attach));
            Console.WriteLine($"loaded {sample.Name} as program id {loaded}, pinned in {dir} with its maps; " +
                              $"{controlPlane.TotalEntries} control-plane entries written" +
                              (sample.ProgramSlots.Count > 0 ? $"; its stages in their slots: {string.Join(", ", sample.ProgramSlots.Select(s => $"{s.Program} in slot {s.Index} of {s.Map}"))}" : "") +
                              (result.GetValue(attach) is { } attached ? $"; attached to {attached} (XDP bpf_link pinned as {Path.Combine(dir, "link")})" : ""));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Trace()
    {
        var name = Name();
        var locality = SampleOptions.Locality();
        var seed = SampleOptions.Seed();
        var packets = SampleOptions.Packets(10_000);
        var output = new Option<string>("--output", "-o") { Description = "The pcap file to write", Required = true };
        var command = new Command("trace", "Write a sample's traffic at a given locality to a pcap file") { name, locality, seed, packets, output };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var sample = SampleOptions.One(result.GetValue(name)!, "sample trace");
            var l = SampleOptions.OneLocality(result.GetValue(locality)!, "sample trace");
            CommandFiles.Output(result.GetValue(output)!, "--output");
            var frames = sample.GenerateTrace(sample.GenerateControlPlane(result.GetValue(seed)), l, result.GetValue(packets), result.GetValue(seed));
            CommandFiles.Write(result.GetValue(output)!, "--output", path => Pcap.WriteFile(path, frames));
            Console.WriteLine($"{result.GetValue(output)}: {frames.Count} packets of {sample.Name} traffic, locality {l.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
