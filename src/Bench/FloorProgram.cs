using Kecleon.FrontEnd;

namespace Kecleon.Bench;

/// <summary>The cheapest XDP program there is: it only returns XDP_PASS. Timed like any variant, it is the floor that
/// <c>BPF_PROG_TEST_RUN</c>'s own cost puts under every measurement. Compiled with this assembly from
/// <c>src/BpfC/floor.bpf.c</c>.</summary>
public static class FloorProgram
{
    public const string Name = "floor";

    public static byte[] BuildObject() => BuiltBpf.Read(typeof(FloorProgram).Assembly, "floor.o");
}
