using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Llvm;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>Compiles a C file and analyses it; disposes context, module and analysis together.</summary>
internal sealed class AnalysedProgram : IDisposable
{
    private readonly LlvmContext _context;
    private readonly LlvmModule _module;

    public AnalysedProgram(string path, AnalysisOptions? options = null, params string[] clangFlags)
    {
        var source = ProgramSource.Read(path, new FrontEndOptions { ClangFlags = clangFlags });
        _context = LlvmContext.Create();
        _module = source.Parse(_context);
        Analysis = ProgramAnalysis.Analyze(_module, (options ?? AnalysisOptions.Default) with
        {
            ObjectName = Path.GetFileName(path).Split('.')[0],
        });
    }

    public ProgramAnalysis Analysis { get; }

    public void Dispose()
    {
        Analysis.Dispose();
        _module.Dispose();
        _context.Dispose();
    }
}
