import-module -name "C:\Program Files\Common Files\Microsoft Lync Server 2013\modules\lync"
Start-Process -FilePath certutil.exe -ArgumentList "-p $pfxPass -importpfx $pfxPath" -Wait
