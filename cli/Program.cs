return await Mender.Cli.MenderCli.RunAsync(args);
