using System.Diagnostics;
using Kecleon.Llvm;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>How a module becomes a BPF object.</summary>
public sealed record CodeGenOptions
{
    /// <summary>A program compiled as it is: <c>default&lt;O2&gt;</c>.</summary>
    public static readonly CodeGenOptions Default = new();

    /// <summary>A specialized module: <see cref="Pipelines.AfterSpecialization"/>.</summary>
    public static readonly CodeGenOptions Specialized = new() { Pipeline = Pipelines.AfterSpecialization, Dwarf = false };

    /// <summary>A specialized module built to answer a write (the daemon's reaction, which the build after the writes
    /// pause replaces): built for time, with <see cref="Pipelines.Reaction"/>'s shorter clean-up and
    /// <see cref="BranchFreeSelects"/> for the verifier's. A select made arithmetic can cost a few ns a packet where its
    /// branch predicted well (the switch's hot keys: 1.37–1.39x → 1.22–1.31x side by side), so the program that stays is
    /// built with branches. It carries no line info (<see cref="LineInfo"/>): nothing reads a reaction's source lines, and
    /// the back end takes a fifth less time without them.</summary>
    public static readonly CodeGenOptions Reaction = Specialized with { Pipeline = Pipelines.Reaction, BranchFreeSelects = true, LineInfo = false };

    public BpfCpu Cpu { get; init; } = BpfCpu.V3;
    /// <summary>A new-pass-manager pipeline run before code generation; empty for none.</summary>
    public string Pipeline { get; init; } = "default<O2>";
    /// <summary>Run LLVM's verifier after every pass (tests and debugging).</summary>
    public bool VerifyEach { get; init; }
    /// <summary>Keep the module's bitcode as the back end gets it, after the pipeline (<see cref="CompiledObject.Bitcode"/>):
    /// what clang's <c>-fembed-bitcode</c> embeds. Not after code generation: the back end's own IR passes leave IR that
    /// the pipeline must not see again.</summary>
    public bool KeepBitcode { get; init; }
    /// <summary>After the pipeline, integer selects that need no bounds become arithmetic instead of the branches the
    /// back end makes of them (<see cref="SelectLowering"/>): fewer paths for the verifier.</summary>
    public bool BranchFreeSelects { get; init; }
    /// <summary>Emit DWARF (<c>.debug_*</c>) beside the BTF. Off for a specialized program, which nothing reads DWARF of
    /// (<see cref="LlvmModule.DropDwarfEmission"/>): the same code and BTF in less time.</summary>
    public bool Dwarf { get; init; } = true;
    /// <summary>Keep the instructions' source lines (<c>.BTF.ext</c> line info, what <c>bpftool prog dump</c> shows beside
    /// the code). Off, the BTF of the maps and functions stays (<see cref="LlvmModule.DropLineInfo"/>).</summary>
    public bool LineInfo { get; init; } = true;
    /// <summary>The module was verified as it is now (the last pass that changed it checked it,
    /// <see cref="Kecleon.Passes.PassManager"/>), so <see cref="BpfCompiler.Compile"/> does not verify it again.</summary>
    public bool InputVerified { get; init; }
}

/// <summary>An emitted BPF ELF object with what it cost to make. Pure data: loading it is the runtime's business.</summary>
public sealed record CompiledObject(byte[] Elf, TimeSpan OptimizeTime, TimeSpan CodeGenTime)
{
    /// <summary>With <see cref="CodeGenOptions.KeepBitcode"/>: the module after the pipeline, as bitcode.</summary>
    public byte[]? Bitcode { get; init; }
}

/// <summary>LLVM's optimization pipeline, then the BPF back end. Debug metadata passes through untouched, so the object
/// carries BTF.</summary>
public static class BpfCompiler
{
    /// <summary>Compiles <paramref name="module"/> in place (callers that need the original pass a clone).</summary>
    public static CompiledObject Compile(LlvmModule module, CodeGenOptions? options = null)
    {
        options ??= CodeGenOptions.Default;
        using var target = LlvmTargetMachine.CreateBpf(options.Cpu);
        target.Configure(module);
        if (!options.InputVerified && module.Verify() is { } broken)
            throw new KecleonException($"{module.Identifier}: the IR is not well formed: {broken}");

        var clock = Stopwatch.StartNew();
        if (!string.IsNullOrWhiteSpace(options.Pipeline))
        {
            using var passOptions = new LlvmPassBuilderOptions(options.VerifyEach);
            module.RunPasses(options.Pipeline, target, passOptions);
        }
        if (options.BranchFreeSelects)
            SelectLowering.Run(module);
        var optimize = clock.Elapsed;
        var bitcode = options.KeepBitcode ? module.ToBitcode() : null;

        clock.Restart();
        if (!options.Dwarf)
            module.DropDwarfEmission();
        if (!options.LineInfo)
            module.DropLineInfo();
        var elf = target.EmitObject(module);
        return new CompiledObject(elf, optimize, clock.Elapsed) { Bitcode = bitcode };
    }
}
