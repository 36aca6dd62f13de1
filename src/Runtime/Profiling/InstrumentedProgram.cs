using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Planning;

namespace Kecleon.Runtime.Profiling;

/// <summary>An instrumented object and what it records: pure data until the runtime loads it.</summary>
public sealed record InstrumentedObject(byte[] Elf, InstrumentationLayout Layout)
{
    /// <summary>Parses <paramref name="source"/>, instruments a clone of it and compiles that with Kecleon's pipeline. The
    /// keys recorded are those of the sites the specialization planner could give hot keys, unless
    /// <paramref name="options"/> names others.</summary>
    public static InstrumentedObject Build(ProgramSource source, InstrumentationOptions? options = null, CodeGenOptions? codeGen = null)
    {
        options ??= InstrumentationOptions.Default;
        if (options.KeyProfileSites is null)
            options = options with { KeyProfileSites = analysis => SpecializationPlanner.KeyProfileSites(analysis) };
        using var context = LlvmContext.Create();
        using var original = source.Parse(context);
        using var module = original.Clone();
        var layout = InstrumentationPass.Run(module, options, Profile.IrFingerprint(original.ToString()));
        return new InstrumentedObject(BpfCompiler.Compile(module, codeGen).Elf, layout);
    }
}
