namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>A run that stopped being physical (NaN, |m| drifting from 1, a step size collapsing); the message names the cause.</summary>
public sealed class DivergenceException(string message) : ArithmeticException(message);
