using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>One <c>BPF_PROG_TEST_RUN</c>: the program's return value, the packet as it left, and the kernel-measured mean
/// time per repetition.</summary>
public sealed record BpfTestRunResult(uint ReturnValue, uint DurationNs, byte[] Output, int Repeat)
{
    public bool PacketChanged(ReadOnlySpan<byte> input) => !input.SequenceEqual(Output);
}

/// <summary>A timed run: the program's return value and the kernel-measured nanoseconds.</summary>
public readonly record struct BpfTiming(uint ReturnValue, uint DurationNs);

public static class BpfTestRun
{
    /// <summary>Room for a program to grow the packet (encapsulation through <c>bpf_xdp_adjust_head</c>).</summary>
    private const int OutputHeadroom = 4096;

    /// <summary>
    /// Runs a loaded program on <paramref name="packet"/>. With <paramref name="repeat"/> &gt; 1 the kernel does not restore
    /// the packet between repetitions: a program that rewrites it is timed on its own output after the first run.
    /// </summary>
    public static unsafe BpfTestRunResult Run(int programFd, string programName, ReadOnlySpan<byte> packet, int repeat = 1,
        ReadOnlySpan<byte> context = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        var output = new byte[packet.Length + OutputHeadroom];
        fixed (byte* input = packet)
        fixed (byte* o = output)
        fixed (byte* c = context)
        {
            var options = new LibbpfApi.TestRunOptions
            {
                Size = (nuint)sizeof(LibbpfApi.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)packet.Length,
                DataOut = o,
                DataSizeOut = (uint)output.Length,
                ContextIn = context.IsEmpty ? null : c,
                ContextSizeIn = (uint)context.Length,
                Repeat = repeat,
            };
            Invoke(programFd, programName, packet.Length, ref options);
            return new BpfTestRunResult(options.ReturnValue, options.Duration, output[..(int)options.DataSizeOut], repeat);
        }
    }

    /// <summary>
    /// One run of a loaded program on <paramref name="packet"/> for timing: the return value and the kernel-measured time,
    /// with no packet copied back and nothing allocated. A benchmark's own allocations run between its timed packets, and
    /// on this machine a fresh 4 KiB output buffer per run (zeroed by the runtime) was enough to push a table's cold lines
    /// out of the caches before the next packet: every destination seen once in a trace then cost the router's programs
    /// 40–270 ns more than a hot one (docs/bench.md, "How it times").
    /// </summary>
    public static unsafe BpfTiming Time(int programFd, string programName, ReadOnlySpan<byte> packet)
    {
        fixed (byte* input = packet)
        {
            var options = new LibbpfApi.TestRunOptions
            {
                Size = (nuint)sizeof(LibbpfApi.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)packet.Length,
                Repeat = 1,
            };
            Invoke(programFd, programName, packet.Length, ref options);
            return new BpfTiming(options.ReturnValue, options.Duration);
        }
    }

    private static unsafe void Invoke(int programFd, string programName, int packetLength, ref LibbpfApi.TestRunOptions options)
    {
        var rc = LibbpfApi.bpf_prog_test_run_opts(programFd, ref options);
        if (rc < 0)
            throw new BpfException($"test-run program {programName} on a {packetLength}-byte packet", -rc,
                rc == -Errno.EINVAL && packetLength < 14 ? "packets must be at least 14 bytes (an Ethernet header)" : null);
    }
}
