using System.CommandLine;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;

namespace Kecleon.Cli.Commands;

/// <summary>Options shared by the commands that compile an input.</summary>
internal sealed class CompileOptions
{
    public Argument<string> Input { get; } = new("input")
    {
        Description = "The eBPF program: C source (.c), LLVM IR (.ll), bitcode (.bc), or a BPF object built with -fembed-bitcode (.o)",
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
        Description = "LLVM new-pass-manager pipeline to run before code generation ('' for none)",
        DefaultValueFactory = _ => CodeGenOptions.Default.Pipeline,
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input);
        command.Options.Add(ClangFlags);
        command.Options.Add(Cpu);
        command.Options.Add(Passes);
        Cpu.AcceptOnlyFromAmong("v1", "v2", "v3");
    }

    public FrontEndOptions FrontEnd(ParseResult result) =>
        new() { ClangFlags = result.GetValue(ClangFlags) ?? [] };

    public CodeGenOptions CodeGen(ParseResult result) => new()
    {
        Cpu = Enum.Parse<BpfCpu>(result.GetValue(Cpu)!, ignoreCase: true),
        Pipeline = result.GetValue(Passes) ?? "",
    };
}
