using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Kecleon.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Kecleon.Benchmarks.AnalysisBenchmark).Assembly).Run(args);
