@echo off
rem Starts the courtier command (broker, pub, sub, passwd, ctrl) on the JVM in JAVA_HOME or PATH.
rem JAVA_OPTS adds JVM flags. Daemon mode (-d) is not available on Windows: use a service
rem wrapper. Windows has no epoll: Netty uses NIO, and TLS uses the JDK's implementation.
setlocal
set "COURTIER_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
"%JAVA%" -XX:+UseG1GC -XX:MaxGCPauseMillis=50 -XX:G1PeriodicGCInterval=3000 -XX:G1HeapRegionSize=1m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError -Xss512k -Dio.netty.allocator.maxOrder=7 --enable-native-access=ALL-UNNAMED %JAVA_OPTS% ^
  "-Dcourtier.home=%COURTIER_HOME%" -cp "%COURTIER_HOME%\lib\*" io.courtier.cli.Main %*
exit /b %ERRORLEVEL%
