using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon profile</c>: runs the program instrumented on its live maps over one or more windows of traffic and
/// writes the sampled profile (hot keys per lookup site, branch counts).</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var input = SampleOptions.OwnProgram();
        var sample = SampleOptions.Sample();
        var locality = SampleOptions.Locality();
        var seed = SampleOptions.Seed();
        var packets = SampleOptions.Packets(2000);
        var pcap = new Option<string?>("--pcap") { Description = "Replay this trace in each window instead of a generated one" };
        var program = SampleOptions.Program();
        var windows = new Option<int>("--windows") { Description = "Profiling windows; each replays the trace (see --replays), then ages older counts", DefaultValueFactory = _ => 1 }.Within(1, 1000);
        var shift = new Option<int>("--sample-shift") { Description = "Record the keys of one packet in 2^N", DefaultValueFactory = _ => InstrumentationOptions.Default.SampleShift }.Within(0, 30);
        var branchShift = new Option<int>("--branch-sample-shift") { Description = "Count the branches of one packet in 2^N (N at least --sample-shift)", DefaultValueFactory = _ => InstrumentationOptions.Default.BranchSampleShift }.Within(0, 30);
        var replays = new Option<int?>("--replays") { Description = "Times each window replays the trace (default: 2^(branch shift - sample shift), so a window counts the branches of as many packets as the trace has keys sampled)" }.Within(1, 1024);
        var top = new Option<int>("--top") { Description = "Hot keys to print per site", DefaultValueFactory = _ => 8 }.Within(0, int.MaxValue);
        var clangFlags = new CompileOptions().ClangFlags;
        var output = new Option<string>("--out") { Description = "Write the profile (JSON) to FILE", Required = true };
        var maps = new MapOptions();
        var command = new Command("profile", "Run a program instrumented for profiling on its maps and write its hot keys and branch counts")
        {
            input, program, clangFlags, sample, locality, seed, packets, pcap, windows, shift, branchShift, replays, top, output,
        };
        maps.AddTo(command);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var count = result.GetValue(windows);
            var (keyShift, branchEvery) = (result.GetValue(shift), result.GetValue(branchShift));
            if (branchEvery < keyShift)
                throw new UsageException($"--branch-sample-shift must be at least --sample-shift ({keyShift}), not {branchEvery}");
            var outputPath = CommandFiles.Output(result.GetValue(output)!, "--out");
            var frontEnd = new FrontEndOptions { ClangFlags = result.GetValue(clangFlags) ?? [] };
            var workloads = BenchCommand.Workloads(result.GetValue(input), result.GetValue(pcap), result.GetValue(sample)!,
                result.GetValue(locality)!, result.GetValue(packets), result.GetValue(seed), frontEnd, "profiling", result.GetValue(program),
                BenchCommand.MapsOf(result, maps, result.GetValue(input))).ToList();
            if (workloads is not [var workload])
                throw new UsageException("profile one sample and one locality at a time (not 'all')");
            Privileges.RequireBpf("profile");
            var traceName = $"{workload.Program}/{workload.TraceName}";
            var profile = ProgressDisplay.Run(json: false, $"profile {traceName}: {count} window(s)", count, bar => ProfileSession.Run(
                new ProfileRequest(workload.Source, workload.FrontEnd ?? SampleFiles.FrontEndOptions,
                    workload.ProgramName, workload.ControlPlane, workload.Trace, new InstrumentationOptions { SampleShift = keyShift, BranchSampleShift = branchEvery }, count,
                    result.GetValue(replays) ?? 1 << Math.Min(10, branchEvery - keyShift)),
                window =>
                {
                    Progress.Line($"window {window.Number}: {window.Packets} packets of {traceName}, {window.Samples} key samples" +
                                  (window.LostSamples > 0 ? $", {window.LostSamples} overwritten before they were read" : ""));
                    bar?.Report(window.Number, $"profile {traceName}: window {window.Number}/{count} done");
                }));
            Console.Write(Render(profile, result.GetValue(top)));
            CommandFiles.Write(outputPath, "--out", profile.Save);
            Progress.Line($"profile written to {outputPath}");
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static string Render(Profile profile, int top)
    {
        var text = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(string.Create(inv, $"{profile.Program}: {profile.Packets} packets (estimated, aged), IR {profile.IrHash}"));
        if (profile.Sites.Count == 0)
            text.AppendLine("  no lookup site needs a key profile (every map looked up is small and read-only)");
        foreach (var site in profile.Sites)
        {
            text.AppendLine(string.Create(inv, $"  #{site.Site} {site.Map} in {site.Function}: {site.Lookups:F0} lookups, {site.Keys.Count} keys seen, top {Math.Min(top, site.Keys.Count)} cover {site.Coverage(top):P1}"));
            foreach (var key in site.Keys.Take(top))
                text.AppendLine(string.Create(inv, $"    {DescribeKey(key.Key),-28} {key.Count,10:F0}  {(site.Lookups > 0 ? key.Count / site.Lookups : 0),6:P1}"));
        }
        var reached = profile.Branches.Where(b => b.Total > 0).ToList();
        text.AppendLine(string.Create(inv, $"  branches: {profile.Branches.Count} conditional, {reached.Count} taken at least once in the samples"));
        foreach (var b in reached.OrderByDescending(b => b.Total).Take(top))
            text.AppendLine(string.Create(inv, $"    {b.Function} block {b.Block}: {b.Taken:F0} first way, {b.NotTaken:F0} second way ({b.Taken / b.Total:P0} first)"));
        return text.ToString();
    }

    /// <summary>Readable where the shape says what it is: an IPv4 LPM key (prefix length, address), a 32-bit number, a
    /// MAC address; hex otherwise.</summary>
    internal static string DescribeKey(byte[] key) => key.Length switch
    {
        8 when BinaryPrimitives.ReadUInt32LittleEndian(key) is <= 32 and var length => $"{key[4]}.{key[5]}.{key[6]}.{key[7]}/{length}",
        4 => $"{BinaryPrimitives.ReadUInt32LittleEndian(key)} (0x{Convert.ToHexStringLower(key)})",
        6 => string.Join(':', key.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
        _ => Convert.ToHexStringLower(key),
    };
}
