target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@llvm.compiler.used = appending global [2 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @branch_weights to i8*)], section "llvm.metadata"

define dso_local i32 @branch_weights(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
  %2 = bitcast %struct.xdp_md* %0 to i32*
  %3 = load i32, i32* %2, align 4, !tbaa
  %4 = zext i32 %3 to i64
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %6 = load i32, i32* %5, align 4, !tbaa
  %7 = zext i32 %6 to i64
  %8 = inttoptr i64 %7 to i8*
  %9 = inttoptr i64 %4 to %struct.ethhdr*
  %10 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 1, i32 0, i64 0
  %11 = icmp ugt i8* %10, %8
  br i1 %11, label %22, label %12, !prof !{!"branch_weights", i32 100, i32 9900}

12:
  %13 = inttoptr i64 %4 to %struct.ethhdr*
  %14 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %13, i64 0, i32 2
  %15 = load i16, i16* %14, align 1, !tbaa
  %16 = zext i16 %15 to i32
  switch i32 %16, label %22 [
    i32 8, label %18
    i32 1544, label %17
  ]

17:
  br label %18

18:
  %19 = phi i32 [ 5, %17 ], [ 4, %12 ]
  %20 = tail call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %19, i64 noundef 0) #2
  %21 = trunc i64 %20 to i32
  br label %22

22:
  %23 = phi i32 [ 1, %1 ], [ 2, %12 ], [ %21, %18 ]
  ret i32 %23
}

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { nounwind }
