using System.CommandLine;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Execution;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon compile</c>: input to BPF object through Kecleon's LLVM pipeline, semantics unchanged.</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var options = new CompileOptions();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the BPF object", Required = true };
        var command = new Command("compile", "Compile an eBPF program through Kecleon's LLVM pipeline into a BPF object");
        options.AddTo(command);
        command.Options.Add(output);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var path = CommandFiles.Output(result.GetValue(output)!, "--output");
            var source = options.Resolve(result).Read();
            var codeGen = options.CodeGen(result);
            var compiled = Toolchain.Compile(source, codeGen);
            CommandFiles.Write(path, "--output", p => File.WriteAllBytes(p, compiled.Elf));
            Console.WriteLine($"{path}: {compiled.Elf.Length} bytes (from {source.Kind} {source.Name}, " +
                              $"passes '{codeGen.Pipeline}' {compiled.OptimizeTime.TotalMilliseconds:F1} ms, " +
                              $"BPF {codeGen.Cpu.ToString().ToLowerInvariant()} code generation {compiled.CodeGenTime.TotalMilliseconds:F1} ms)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
