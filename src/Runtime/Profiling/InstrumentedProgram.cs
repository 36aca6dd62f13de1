using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;

namespace Kecleon.Runtime.Profiling;

/// <summary>An instrumented object and what it records: pure data until the runtime loads it.</summary>
public sealed record InstrumentedObject(byte[] Elf, InstrumentationLayout Layout)
{
    /// <summary>Parses <paramref name="source"/>, instruments a clone of it and compiles that with Kecleon's pipeline.</summary>
    public static InstrumentedObject Build(ProgramSource source, InstrumentationOptions? options = null, CodeGenOptions? codeGen = null)
    {
        using var context = LlvmContext.Create();
        using var original = source.Parse(context);
        using var module = original.Clone();
        var layout = InstrumentationPass.Run(module, options, Profile.IrFingerprint(original.ToString()));
        return new InstrumentedObject(BpfCompiler.Compile(module, codeGen).Elf, layout);
    }
}
