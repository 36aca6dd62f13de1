using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>One <c>BPF_PROG_TEST_RUN</c>: the program's return value, the packet as it left, and the kernel-measured mean
/// time per repetition.</summary>
public sealed record BpfTestRunResult(uint ReturnValue, uint DurationNs, byte[] Output, int Repeat)
{
    public bool PacketChanged(ReadOnlySpan<byte> input) => !input.SequenceEqual(Output);
}

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
            var rc = LibbpfApi.bpf_prog_test_run_opts(programFd, &options);
            if (rc < 0)
                throw new BpfException($"test-run program {programName} on a {packet.Length}-byte packet", -rc,
                    rc == -Errno.EINVAL && packet.Length < 14 ? "packets must be at least 14 bytes (an Ethernet header)" : null);
            return new BpfTestRunResult(options.ReturnValue, options.Duration, output[..(int)options.DataSizeOut], repeat);
        }
    }
}
