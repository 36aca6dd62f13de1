using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Bench;

/// <summary>The cheapest XDP program there is: it only returns XDP_PASS. Timed like any variant, it is the floor that
/// <c>BPF_PROG_TEST_RUN</c>'s own cost puts under every measurement. Compiled with this assembly from
/// <c>src/BpfC/floor.bpf.c</c>.</summary>
public static class FloorProgram
{
    public const string Name = "floor";

    /// <summary>The floor program run <see cref="Repetitions"/> times within each of <see cref="RepeatedCalls"/> test runs,
    /// timed by the wall clock around each call: ns per run of it without a <c>bpf()</c> system call around each run.
    /// What something else on the machine adds to every run of every BPF program shows here; what it adds to the system
    /// call (a tracepoint on it, as the daemon's guard hook is) is spread over 65,536 runs. The kernel's own figure for
    /// such a call is whole ns per run, a handful for this program, too coarse to compare.</summary>
    public const string Repeated = "floor_repeated";

    public const int Repetitions = 65_536;
    public const int RepeatedCalls = 64;

    public static byte[] BuildObject() => BuiltBpf.Read(typeof(FloorProgram).Assembly, "floor.o");

    /// <summary>ns per run of <paramref name="floor"/>, one value per test run of <see cref="Repetitions"/> runs, on the
    /// trace's first packets (the floor program leaves a packet as it is).</summary>
    public static IReadOnlyList<double> TimeRepeated(LoadedVariant floor, IReadOnlyList<byte[]> trace)
    {
        var times = new List<double>(RepeatedCalls);
        for (var i = 0; i < RepeatedCalls; i++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            Bpf.BpfTestRun.Run(floor.Program.Fd, floor.Program.Name, trace[i % trace.Count], Repetitions);
            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / Repetitions);
        }
        return times;
    }

    /// <summary>The mean of the middle half: the quarters on either side drop the calls that something else interrupted.</summary>
    public static double TrimmedMean(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var quarter = sorted.Count / 4;
        return sorted.Skip(quarter).Take(Math.Max(1, sorted.Count - 2 * quarter)).Average();
    }
}
