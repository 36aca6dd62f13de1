using System.CommandLine;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary>Options shared by the commands that compile an input.</summary>
internal sealed class CompileOptions
{
    public Argument<string> Input { get; } = new("input")
    {
        Description = $"The eBPF program: {InputName.Forms} (see `kecleon help inputs`)",
    };

    public Option<string[]> ClangFlags { get; } = new("--cflag")
    {
        Description = "An extra clang flag for C input, e.g. --cflag=-DDEBUG (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Cpu { get; } = new("--cpu")
    {
        Description = "BPF instruction set to target: v1, v2 or v3",
        DefaultValueFactory = _ => "v3",
    };

    public Option<string> Passes { get; } = new("--passes")
    {
        Description = $"LLVM new-pass-manager pipeline to run before code generation ('' for none; default '{CodeGenOptions.Default.Pipeline}', " +
                      "and for a specialized program the cleanup that follows specialization: docs/optimizer.md)",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input);
        command.Options.Add(ClangFlags);
        command.Options.Add(Cpu);
        command.Options.Add(Passes);
        Cpu.OneOf("v1", "v2", "v3");
    }

    /// <summary>The input, resolved (not read yet): a missing file exits 66, an unknown sample 64.</summary>
    public InputName Resolve(ParseResult result) => InputName.Resolve(result.GetValue(Input)!, result.GetValue(ClangFlags) ?? []);

    /// <summary>How a program is compiled as it is: <c>--passes</c>, or <see cref="CodeGenOptions.Default"/>'s.</summary>
    public CodeGenOptions CodeGen(ParseResult result) => new()
    {
        Cpu = Enum.Parse<BpfCpu>(result.GetValue(Cpu)!, ignoreCase: true),
        Pipeline = result.GetValue(Passes) ?? CodeGenOptions.Default.Pipeline,
    };

    /// <summary>How a specialized program is compiled: <c>--passes</c> when given, or
    /// <see cref="CodeGenOptions.Specialized"/>'s.</summary>
    public CodeGenOptions SpecializedCodeGen(ParseResult result) => CodeGen(result) with
    {
        Pipeline = result.GetValue(Passes) ?? CodeGenOptions.Specialized.Pipeline,
        Dwarf = CodeGenOptions.Specialized.Dwarf,
    };
}
