using Kecleon.Llvm;

namespace Kecleon.Workloads;

/// <summary>The cheapest XDP program there is: it only returns XDP_PASS. Timed like any variant, it is the floor that
/// <c>BPF_PROG_TEST_RUN</c>'s own cost puts under every measurement.</summary>
public static class FloorProgram
{
    public const string Name = "floor";

    private const string Ir = """
        @LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
        @llvm.used = appending global [2 x i8*] [i8* bitcast (i32 (i8*)* @floor to i8*), i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0)], section "llvm.metadata"

        define dso_local i32 @floor(i8* nocapture readnone %ctx) section "xdp" {
          ret i32 2
        }
        """;

    public static byte[] BuildObject()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, System.Text.Encoding.UTF8.GetBytes(Ir), "floor.ll");
        using var target = LlvmTargetMachine.CreateBpf();
        target.Configure(module);
        return target.EmitObject(module);
    }
}
