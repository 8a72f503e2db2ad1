namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>Who this server is and which key signs its updates (told to devices in Welcome).</summary>
public sealed record ServerIdentity(string ServerId, string SigningKeyId, byte[] SigningPublicKeyDer);
