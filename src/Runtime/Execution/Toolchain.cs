using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;

namespace Kecleon.Runtime.Execution;

/// <summary>Input file to BPF object through Kecleon's own LLVM pipeline (no specialization): what <c>kecleon compile</c>
/// does, and the starting point of every optimized variant.</summary>
public static class Toolchain
{
    public static CompiledObject Compile(ProgramSource source, CodeGenOptions? options = null)
    {
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        return BpfCompiler.Compile(module, options);
    }
}
