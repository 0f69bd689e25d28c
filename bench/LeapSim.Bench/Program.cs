using BenchmarkDotNet.Running;
using LeapSim.Bench;

// "ab <module> ...": two versions of a module's month inside one process (ModuleAb); otherwise the BenchmarkDotNet suites.
if (args.Length > 0 && args[0] == "ab") return ModuleAb.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
