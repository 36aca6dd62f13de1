using Kecleon.Bpf;

namespace Kecleon.Runtime.Execution;

/// <summary>The outcome of running one packet through one program.</summary>
public sealed record PacketRun(
    string Program, BpfProgramType Type, uint Verdict, byte[] Input, byte[] Output, uint NsPerRun, int Repeat)
{
    public string VerdictName => Type.DescribeVerdict(Verdict);
    public bool Rewritten => !Input.AsSpan().SequenceEqual(Output);

    /// <summary>With repeat &gt; 1 the kernel leaves the packet as the previous run wrote it.</summary>
    public bool TimedOnOwnOutput => Rewritten && Repeat > 1;
}

public static class PacketRunner
{
    /// <summary>The shortest frame BPF_PROG_TEST_RUN takes for XDP and TC: an Ethernet header.</summary>
    public const int MinFrameLength = 14;

    /// <summary>Picks the program to run: the one named, else the object's only program, else its only XDP or TC program.</summary>
    public static BpfProgram SelectProgram(BpfObject obj, string? name)
    {
        if (name is not null)
            return obj.Program(name);
        var programs = obj.Programs;
        if (programs.Count == 1)
            return programs[0];
        var network = programs.Where(p => p.Type is BpfProgramType.Xdp or BpfProgramType.SchedCls or BpfProgramType.SchedAct).ToList();
        if (network.Count == 1)
            return network[0];
        throw new UsageException(
            $"{obj.Name} has {programs.Count} programs ({string.Join(", ", programs.Select(p => $"{p.Name} [{p.Section}]"))}); name one with --program (the daemon's config: \"program\")");
    }

    public static PacketRun Run(BpfProgram program, byte[] packet, int repeat = 1)
    {
        var result = program.TestRun(packet, repeat);
        return new PacketRun(program.Name, program.Type, result.ReturnValue, packet, result.Output, result.DurationNs, repeat);
    }
}
