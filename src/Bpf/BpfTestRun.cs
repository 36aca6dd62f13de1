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
    /// <summary>
    /// Whether the kernel's test run takes <paramref name="packet"/> for a program of this type: an skb (TC) test run
    /// refuses an IPv4 frame shorter than an IPv4 header and an IPv6 frame shorter than an IPv6 header (EINVAL), which
    /// the stack would never hand a TC program either. XDP takes any frame of an Ethernet header or more.
    /// </summary>
    public static bool Takes(BpfProgramType type, ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 14)
            return false;
        if (type is not (BpfProgramType.SchedCls or BpfProgramType.SchedAct))
            return true;
        var network = packet.Length - 14;
        return (packet[12], packet[13]) switch
        {
            (0x08, 0x00) => network >= 20,
            (0x86, 0xdd) => network >= 40,
            _ => true,
        };
    }

    /// <summary>Room for a program to grow the packet (encapsulation through <c>bpf_xdp_adjust_head</c>).</summary>
    private const int OutputHeadroom = 4096;

    /// <summary>
    /// Runs a loaded program on <paramref name="packet"/>. With <paramref name="repeat"/> &gt; 1 the kernel does not restore
    /// the packet between repetitions: a program that rewrites it is timed on its own output after the first run.
    /// </summary>
    public static BpfTestRunResult Run(int programFd, string programName, ReadOnlySpan<byte> packet, int repeat = 1,
        ReadOnlySpan<byte> context = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        var output = new byte[packet.Length + OutputHeadroom];
        var result = Invoke(programFd, programName, packet, output, context, repeat);
        return new BpfTestRunResult(result.ReturnValue, result.Duration, output[..(int)result.DataSizeOut], repeat);
    }

    /// <summary>
    /// One run of a loaded program on <paramref name="packet"/> for timing: the return value and the kernel-measured time,
    /// with no packet copied back and nothing allocated. A benchmark's own allocations run between its timed packets, and
    /// on this machine a fresh 4 KiB output buffer per run (zeroed by the runtime) was enough to push a table's cold lines
    /// out of the caches before the next packet: every destination seen once in a trace then cost the router's programs
    /// 40–270 ns more than a hot one (docs/bench.md, "How it times").
    /// </summary>
    public static BpfTiming Time(int programFd, string programName, ReadOnlySpan<byte> packet)
    {
        var result = Invoke(programFd, programName, packet, [], [], repeat: 1);
        return new BpfTiming(result.ReturnValue, result.Duration);
    }

    private static LibbpfApi.TestRunResult Invoke(int programFd, string programName, ReadOnlySpan<byte> packet, Span<byte> output,
        ReadOnlySpan<byte> context, int repeat)
    {
        var rc = LibbpfApi.bpf_prog_test_run_opts(programFd, packet, output, context, repeat, out var result);
        if (rc < 0)
            throw new BpfException($"test-run program {programName} on a {packet.Length}-byte packet", -rc,
                rc == -Errno.EINVAL && packet.Length < 14 ? "packets must be at least 14 bytes (an Ethernet header)" : null);
        return result;
    }
}
